namespace Mirage.Aws.Ecs.Wire;

// Request and response bodies of the ECS operations Mirage calls (awsJson1.1).

public sealed record RunTaskRequest
{
    public required string Cluster { get; init; }
    public required string TaskDefinition { get; init; }
    public int Count { get; init; } = 1;
    public string? LaunchType { get; init; }
    public IReadOnlyList<EcsCapacityProviderStrategyItem>? CapacityProviderStrategy { get; init; }
    public EcsNetworkConfiguration? NetworkConfiguration { get; init; }
    public EcsTaskOverride? Overrides { get; init; }
    public IReadOnlyList<EcsResourceTag>? Tags { get; init; }
    public string? StartedBy { get; init; }
    public bool? EnableExecuteCommand { get; init; }
    public string? PlatformVersion { get; init; }
    public string? Group { get; init; }
    /// <summary>Idempotency token (up to 64 characters): ECS starts no second task for a repeated token.</summary>
    public string? ClientToken { get; init; }
}

public sealed record RunTaskResponse(IReadOnlyList<EcsTask>? Tasks, IReadOnlyList<EcsFailure>? Failures);

public sealed record StopTaskRequest(string Cluster, string Task, string? Reason);

public sealed record StopTaskResponse(EcsTask? Task);

public sealed record ListTasksRequest
{
    public required string Cluster { get; init; }
    public EcsDesiredStatus? DesiredStatus { get; init; }
    public string? StartedBy { get; init; }
    public string? Family { get; init; }
    public string? NextToken { get; init; }
    public int? MaxResults { get; init; }
}

public sealed record ListTasksResponse(IReadOnlyList<string>? TaskArns, string? NextToken);

public sealed record DescribeTasksRequest(string Cluster, IReadOnlyList<string> Tasks, IReadOnlyList<string>? Include);

public sealed record DescribeTasksResponse(IReadOnlyList<EcsTask>? Tasks, IReadOnlyList<EcsFailure>? Failures);

public sealed record DescribeTaskDefinitionRequest(string TaskDefinition, IReadOnlyList<string>? Include = null);

public sealed record DescribeTaskDefinitionResponse(EcsTaskDefinition? TaskDefinition, IReadOnlyList<EcsResourceTag>? Tags);

public sealed record DescribeServicesRequest(string Cluster, IReadOnlyList<string> Services);

public sealed record DescribeServicesResponse(IReadOnlyList<EcsService>? Services, IReadOnlyList<EcsFailure>? Failures);
