namespace Mirage.GoTemplates.Execution;

/// <summary>
/// Go's invalid reflect.Value: what a missing map key yields. text/template prints it "&lt;no value&gt;";
/// html/template's escapers print it as nothing (they skip nil arguments).
/// </summary>
internal sealed class NoValue
{
    public static readonly NoValue Instance = new();

    private NoValue()
    {
    }

    public override string ToString() => "<no value>";
}
