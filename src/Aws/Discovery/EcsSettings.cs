using Mirage.Aws.Ecs.Wire;

namespace Mirage.Aws.Discovery;

/// <summary>
/// How Mirage runs tasks, after self-discovery filled what the config left out. Exactly one of
/// <see cref="LaunchType"/> and <see cref="CapacityProviderStrategy"/> is set (ECS refuses both, and mirage-ecs
/// defaults to FARGATE when neither is configured).
/// </summary>
public sealed record EcsSettings
{
    public required string Cluster { get; init; }
    public string? LaunchType { get; init; }
    public IReadOnlyList<EcsCapacityProviderStrategyItem>? CapacityProviderStrategy { get; init; }
    public EcsNetworkConfiguration? NetworkConfiguration { get; init; }
    public bool EnableExecuteCommand { get; init; } = true;
}
