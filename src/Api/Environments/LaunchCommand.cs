namespace Mirage.Api.Environments;

/// <summary>A launch as the API, the web UI or the command line asks for it, before validation.</summary>
/// <param name="SleepAfter">The <c>sleep_after</c> field as sent (a Go duration, "0" for never); null when absent.</param>
public sealed record LaunchCommand(
    string Subdomain,
    IReadOnlyList<string> TaskDefinitions,
    string Branch,
    IReadOnlyDictionary<string, string> Parameters,
    string? SleepAfter = null);
