namespace Mirage.LocalEcs.Processes;

/// <summary>Everything needed to start one container's process.</summary>
internal sealed record ProcessLaunch(
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory,
    string StdoutPath,
    string StderrPath);
