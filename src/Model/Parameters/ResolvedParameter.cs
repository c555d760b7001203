using Mirage.Model.Configuration;

namespace Mirage.Model.Parameters;

/// <summary>One parameter value accepted for a launch (after its default); never empty.</summary>
public sealed record ResolvedParameter(ParameterConfig Parameter, string Value)
{
    public string Name => Parameter.Name;
}
