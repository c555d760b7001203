using System.Text.Json.Serialization;

namespace Mirage.LocalEcs.Endpoints;

// Shapes of the ECS task metadata endpoint (agent v2 structs, extended by v4), with the agent's JSON names.
// Null members are left out, as the agent's omitempty does; v3 responses leave the v4-only members null.

public sealed record ContainerMetadata
{
    public required string DockerId { get; init; }
    public required string Name { get; init; }
    public required string DockerName { get; init; }
    public required string Image { get; init; }
    public required string ImageID { get; init; }
    public IReadOnlyList<PortMetadata>? Ports { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public required string DesiredStatus { get; init; }
    public required string KnownStatus { get; init; }
    public int? ExitCode { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required LimitsMetadata Limits { get; init; }
    public string? CreatedAt { get; init; }
    public string? StartedAt { get; init; }
    public string? FinishedAt { get; init; }
    public required string Type { get; init; }
    public string? LogDriver { get; init; }
    public IReadOnlyDictionary<string, string>? LogOptions { get; init; }
    public string? ContainerARN { get; init; }
    public IReadOnlyList<NetworkMetadata>? Networks { get; init; }
}

public sealed record PortMetadata(int ContainerPort, string Protocol, int HostPort, string HostIp);

public sealed record LimitsMetadata
{
    public double? CPU { get; init; }
    public long? Memory { get; init; }
}

public sealed record NetworkMetadata(string NetworkMode, IReadOnlyList<string> IPv4Addresses);

public sealed record TaskMetadata
{
    public required string Cluster { get; init; }
    public required string TaskARN { get; init; }
    public required string Family { get; init; }
    public required string Revision { get; init; }
    public required string DesiredStatus { get; init; }
    public required string KnownStatus { get; init; }
    public LimitsMetadata? Limits { get; init; }
    public string? PullStartedAt { get; init; }
    public string? PullStoppedAt { get; init; }
    public string? ExecutionStoppedAt { get; init; }
    public string? AvailabilityZone { get; init; }
    public IReadOnlyDictionary<string, string>? TaskTags { get; init; }
    public IReadOnlyDictionary<string, string>? ContainerInstanceTags { get; init; }
    public string? LaunchType { get; init; }
    public required IReadOnlyList<ContainerMetadata> Containers { get; init; }
    /// <summary>Only for a task a service started; LocalEcs's tasks are started by RunTask, so it is left out.</summary>
    public string? ServiceName { get; init; }
    public bool? FaultInjectionEnabled { get; init; }
}
