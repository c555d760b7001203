namespace Mirage.TestKit;

/// <summary>How to start a <see cref="MirageProcess"/>.</summary>
public sealed record MirageProcessOptions
{
    /// <summary>The config file's text, with the placeholders <see cref="MirageProcess"/> documents.</summary>
    public string ConfigText { get; init; } = MirageProcess.LocalConfig;

    /// <summary>Command-line arguments before <c>--conf</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = ["--local"];

    /// <summary>Extra environment variables (e.g. <c>MIRAGE_LOG_LEVEL</c>, <c>DOCKER_HOST</c>, AWS endpoints).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The folder for <c>{dataDir}</c>: set it to start a second Mirage on the first one's state (a restart after
    /// <see cref="MirageProcess.KillAsync"/> or <see cref="MirageProcess.StopAsync"/>). Null: an empty folder of the
    /// process's own, removed afterwards.
    /// </summary>
    public string? DataDir { get; init; }

    /// <summary>The listen port for <c>{port}</c>; a free one when null (<see cref="MirageProcess.Options"/> has it fixed, for restarts).</summary>
    public int? Port { get; init; }

    /// <summary>The folder for <c>{taskDefinitions}</c>; the repository's deploy/local/task-definitions by default.</summary>
    public string TaskDefinitions { get; init; } = RepositoryRoot.Combine("deploy", "local", "task-definitions");

    /// <summary>The web API host name to ask for readiness (<c>host.webapi</c>).</summary>
    public string WebApiHost { get; init; } = MirageProcess.WebHost;

    /// <summary>What must answer 200 before the process counts as started.</summary>
    public string ReadyPath { get; init; } = "/api/list";

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// A command that runs <c>dotnet mirage.dll …</c> (e.g. <c>strace -f -o log</c>): its words come first. The
    /// process then is the wrapper's; stop mirage through <see cref="MirageProcess.KillAsync"/> or its own pid.
    /// </summary>
    public IReadOnlyList<string> Wrapper { get; init; } = [];
}
