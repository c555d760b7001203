namespace Mirage.Api.AccessLog;

/// <summary>Where access log lines go: stdout, as echo's Logger writes them, each line written whole.</summary>
public sealed class AccessLogOutput(TextWriter writer)
{
    public Task WriteLineAsync(string line) => writer.WriteLineAsync(line);
}
