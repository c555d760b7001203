namespace Mirage.GoTemplates;

/// <summary>
/// A template that cannot be used: where (<see cref="Origin"/>, the file or template name, and <see cref="Line"/>)
/// and what to change. Thrown at parse and escape time for anything knowable before rendering, and at render time
/// only for faults Go also reports then (a field a struct lacks, a call with wrong arguments).
/// </summary>
public sealed class GoTemplateException(string origin, int? line, string problem) : Exception(Format(origin, line, problem))
{
    public string Origin { get; } = origin;
    public int? Line { get; } = line;

    /// <summary>The message without the location.</summary>
    public string Problem { get; } = problem;

    private static string Format(string origin, int? line, string problem) =>
        line is { } l ? $"{origin}:{l}: {problem}" : $"{origin}: {problem}";
}
