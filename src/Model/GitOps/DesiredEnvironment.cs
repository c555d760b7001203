using Mirage.Model.Intents;

namespace Mirage.Model.GitOps;

/// <summary>One entry of the desired-environments file, checked and with its parameters resolved as a launch would.</summary>
/// <param name="Subdomain">Normalized (lower case) and valid.</param>
/// <param name="Parameters">Configured parameters after defaults, <c>branch</c> included.</param>
/// <param name="Line">Where the entry starts in the file, for messages about it.</param>
public sealed record DesiredEnvironment(
    string Subdomain,
    IReadOnlyList<string> TaskDefinitions,
    IReadOnlyDictionary<string, string> Parameters,
    LifecyclePolicy Policy,
    int Line);
