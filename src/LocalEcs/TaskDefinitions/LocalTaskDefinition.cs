using Mirage.Model.Backend;

namespace Mirage.LocalEcs.TaskDefinitions;

/// <summary>A validated task definition, ready to run as local processes.</summary>
public sealed record LocalTaskDefinition
{
    public required string Arn { get; init; }
    public required string Family { get; init; }
    public required int Revision { get; init; }
    public string? TaskRoleArn { get; init; }

    /// <summary>Task-level CPU units and memory MiB, when the definition sets them.</summary>
    public int? Cpu { get; init; }
    public int? Memory { get; init; }

    public required IReadOnlyList<LocalContainerDefinition> Containers { get; init; }

    /// <summary>The file it came from; relative working directories are resolved against its folder.</summary>
    public required string SourceFile { get; init; }

    public TaskDefinitionInfo ToInfo() => new(
        Arn,
        Family,
        Revision,
        [.. Containers.Select(c => new ContainerDefinitionInfo(
            c.Name,
            c.Essential,
            [.. c.PortMappings.Select(p => p.ContainerPort)],
            c.LogConfiguration))]);
}

public sealed record LocalContainerDefinition
{
    public required string Name { get; init; }
    public string Image { get; init; } = "";
    public bool Essential { get; init; } = true;

    /// <summary>entryPoint followed by command, unexpanded.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>How many of <see cref="Argv"/> came from entryPoint (the rest is command).</summary>
    public int EntryPointCount { get; init; }
    public IReadOnlyList<EnvironmentVariable> Environment { get; init; } = [];
    public string? WorkingDirectory { get; init; }
    public IReadOnlyList<LocalPortMapping> PortMappings { get; init; } = [];
    public int? Cpu { get; init; }
    public int? Memory { get; init; }
    public TimeSpan? StopTimeout { get; init; }
    public LogConfigurationInfo? LogConfiguration { get; init; }
    public IReadOnlyDictionary<string, string> DockerLabels { get; init; } = new Dictionary<string, string>();
}

public sealed record LocalPortMapping(int ContainerPort, string Protocol);
