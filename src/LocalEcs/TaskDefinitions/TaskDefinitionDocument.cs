namespace Mirage.LocalEcs.TaskDefinitions;

/// <summary>
/// The register-task-definition input (camelCase JSON), reduced to what a local process needs. Unknown keys
/// (image, volumes, networkMode, ...) are accepted and ignored. <c>revision</c> is LocalEcs's own addition.
/// </summary>
public sealed record TaskDefinitionDocument
{
    public string? Family { get; init; }
    public int? Revision { get; init; }
    public string? TaskRoleArn { get; init; }
    public string? ExecutionRoleArn { get; init; }
    public string? Cpu { get; init; }
    public string? Memory { get; init; }
    public IReadOnlyList<ContainerDefinitionDocument>? ContainerDefinitions { get; init; }
}

public sealed record ContainerDefinitionDocument
{
    public string? Name { get; init; }
    public string? Image { get; init; }
    public bool? Essential { get; init; }
    public IReadOnlyList<string>? EntryPoint { get; init; }
    public IReadOnlyList<string>? Command { get; init; }
    public IReadOnlyList<KeyValuePairDocument>? Environment { get; init; }
    public string? WorkingDirectory { get; init; }
    public IReadOnlyList<PortMappingDocument>? PortMappings { get; init; }
    public int? Cpu { get; init; }
    public int? Memory { get; init; }
    public int? MemoryReservation { get; init; }
    public int? StopTimeout { get; init; }
    public LogConfigurationDocument? LogConfiguration { get; init; }
    public IReadOnlyDictionary<string, string>? DockerLabels { get; init; }
}

public sealed record KeyValuePairDocument(string? Name, string? Value);

public sealed record PortMappingDocument
{
    public int? ContainerPort { get; init; }
    public int? HostPort { get; init; }
    public string? Protocol { get; init; }
    public string? Name { get; init; }
}

public sealed record LogConfigurationDocument(string? LogDriver, IReadOnlyDictionary<string, string>? Options);
