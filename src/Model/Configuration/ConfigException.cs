namespace Mirage.Model.Configuration;

/// <summary>
/// The configuration cannot be used. The message is one line a user can act on: where (file, line, column when
/// known), what is wrong, and what to write instead.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string file, int? line, int? column, string problem)
        : base(FormatMessage(file, line, column, problem))
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>Display name of the file (a path or an s3:// URL).</summary>
    public string File { get; }

    /// <summary>1-based line in the file as written (before the template pass), when known.</summary>
    public int? Line { get; }

    /// <summary>1-based column, when known.</summary>
    public int? Column { get; }

    /// <summary>The message without the location prefix.</summary>
    public string Problem { get; }

    internal static string FormatMessage(string file, int? line, int? column, string problem) =>
        (line, column) switch
        {
            (int l, int c) => $"{file}:{l}:{c}: {problem}",
            (int l, null) => $"{file}:{l}: {problem}",
            _ => $"{file}: {problem}",
        };
}
