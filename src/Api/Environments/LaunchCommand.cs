namespace Mirage.Api.Environments;

/// <summary>A launch as the API, the web UI or the command line asks for it, before validation.</summary>
public sealed record LaunchCommand(
    string Subdomain,
    IReadOnlyList<string> TaskDefinitions,
    string Branch,
    IReadOnlyDictionary<string, string> Parameters);
