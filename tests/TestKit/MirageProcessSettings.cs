namespace Mirage.TestKit;

/// <summary>How to run a test's mirage process: its folder (config, data, task definitions) and extra config.</summary>
public sealed record MirageProcessSettings
{
    public MirageProcessSettings(string folder) => Folder = folder;

    /// <summary>Holds mirage.yaml and data/; kept across restarts of the same settings.</summary>
    public string Folder { get; init; }

    /// <summary>Listen port; a free one when null (fixed after the first start so restarts reuse it).</summary>
    public int? Port { get; init; }

    /// <summary>Task definitions folder; the repository's deploy/local/task-definitions by default.</summary>
    public string TaskDefinitions { get; init; } = RepositoryRoot.Combine("deploy", "local", "task-definitions");

    /// <summary>YAML appended to the generated config (e.g. parameters or auth).</summary>
    public string ExtraConfig { get; init; } = "";

    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string DataDir => Path.Combine(Folder, "data");

    public static MirageProcessSettings InTempFolder() => new(Directory.CreateTempSubdirectory("mirage-e2e-").FullName);

    public string RenderConfig() => $"""
        listen:
          http:
            - listen: {Port}
              target: 80
        local:
          task_definitions: {TaskDefinitions}
          data_dir: {DataDir}
        {ExtraConfig}
        """;
}
