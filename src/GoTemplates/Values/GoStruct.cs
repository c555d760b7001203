namespace Mirage.GoTemplates.Values;

/// <summary>
/// A Go struct as a template sees it: named fields (a field the struct lacks is an error at render time, as in Go,
/// where a missing map key is not). The data is built by the caller, so no reflection is needed.
/// </summary>
public sealed class GoStruct(string typeName, IReadOnlyDictionary<string, object?> fields)
{
    public string TypeName { get; } = typeName;
    public IReadOnlyDictionary<string, object?> Fields { get; } = fields;
}
