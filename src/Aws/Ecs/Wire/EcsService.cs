namespace Mirage.Aws.Ecs.Wire;

/// <summary>The ECS Service shape (what self-discovery reads).</summary>
public sealed record EcsService
{
    public required string ServiceArn { get; init; }
    public string? ServiceName { get; init; }
    public string? ClusterArn { get; init; }
    public string? Status { get; init; }
    public string? TaskDefinition { get; init; }
    public string? LaunchType { get; init; }
    public IReadOnlyList<EcsCapacityProviderStrategyItem>? CapacityProviderStrategy { get; init; }
    public EcsNetworkConfiguration? NetworkConfiguration { get; init; }
    public int DesiredCount { get; init; }
    public int RunningCount { get; init; }
    public bool? EnableExecuteCommand { get; init; }
}
