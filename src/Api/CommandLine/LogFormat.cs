namespace Mirage.Api.CommandLine;

/// <summary>The <c>-log-format</c> values.</summary>
public enum LogFormat
{
    Text,
    Json,
}
