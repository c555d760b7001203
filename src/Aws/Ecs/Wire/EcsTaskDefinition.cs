namespace Mirage.Aws.Ecs.Wire;

public sealed record EcsTaskDefinition
{
    public required string TaskDefinitionArn { get; init; }
    public required string Family { get; init; }
    public int Revision { get; init; }
    public string? NetworkMode { get; init; }
    public string? Status { get; init; }
    public IReadOnlyList<EcsContainerDefinition> ContainerDefinitions { get; init; } = [];
}

public sealed record EcsContainerDefinition
{
    public required string Name { get; init; }
    public string? Image { get; init; }
    public bool? Essential { get; init; }
    public int? Memory { get; init; }
    public IReadOnlyList<EcsPortMapping>? PortMappings { get; init; }
    public EcsLogConfiguration? LogConfiguration { get; init; }
}

public sealed record EcsPortMapping(int? ContainerPort = null, int? HostPort = null, string? Protocol = null, string? Name = null);

public sealed record EcsLogConfiguration(string LogDriver, IReadOnlyDictionary<string, string>? Options = null);
