namespace Mirage.Model.Parameters;

/// <summary>The outcome of checking a launch request's parameters: the accepted values, or mirage-ecs's error message.</summary>
public sealed record ParameterResolution
{
    private ParameterResolution(IReadOnlyList<ResolvedParameter> values, string? error)
    {
        Values = values;
        Error = error;
    }

    /// <summary>Non-empty values in config order; empty when <see cref="Error"/> is set.</summary>
    public IReadOnlyList<ResolvedParameter> Values { get; }

    /// <summary>What is wrong with the request, worded as mirage-ecs words it (a 400 for the API).</summary>
    public string? Error { get; }

    public bool IsValid => Error is null;

    public static ParameterResolution Valid(IReadOnlyList<ResolvedParameter> values) => new(values, null);

    public static ParameterResolution Invalid(string error) => new([], error);

    /// <summary>Values by parameter name, as an intent stores them.</summary>
    public IReadOnlyDictionary<string, string> ToDictionary() =>
        Values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
}
