namespace Mirage.Model.Backend;

/// <summary>A task as the backend reports it (ECS DescribeTasks, or LocalEcs).</summary>
public sealed record ObservedTask
{
    public required string Arn { get; init; }

    /// <summary>Full task definition ARN.</summary>
    public required string TaskDefinitionArn { get; init; }

    /// <summary>PROVISIONING, PENDING, ACTIVATING, RUNNING, DEACTIVATING, STOPPING, DEPROVISIONING, STOPPED.</summary>
    public required string LastStatus { get; init; }

    public required string DesiredStatus { get; init; }

    public IReadOnlyList<EcsTag> Tags { get; init; } = [];

    public string? StartedBy { get; init; }

    public IReadOnlyList<ObservedContainer> Containers { get; init; } = [];

    /// <summary>Where each container port is reachable from Mirage: the ENI address, or loopback for LocalEcs.</summary>
    public IReadOnlyList<TaskPortBinding> Ports { get; init; } = [];

    /// <summary>The task's private address ("" while it has none).</summary>
    public string IpAddress { get; init; } = "";

    /// <summary>Environment overrides as launched, per container.</summary>
    public IReadOnlyList<ContainerOverride> Overrides { get; init; } = [];

    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? PullStartedAt { get; init; }
    public DateTimeOffset? PullStoppedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? StoppingAt { get; init; }
    public DateTimeOffset? ExecutionStoppedAt { get; init; }
    public DateTimeOffset? StoppedAt { get; init; }
    public string? StoppedReason { get; init; }
    public string? StopCode { get; init; }

    /// <summary>ECS's version of the task: it grows with every change, so an older report never replaces a newer one.</summary>
    public long? Version { get; init; }

    /// <summary>The last segment of the ARN.</summary>
    public string ShortId => Arn[(Arn.LastIndexOf('/') + 1)..];

    /// <summary>Launch time for precedence: startedAt, else createdAt.</summary>
    public DateTimeOffset LaunchedAt => StartedAt ?? CreatedAt ?? DateTimeOffset.MinValue;

    public string? Tag(string key) => Tags.FirstOrDefault(t => t.Key == key)?.Value;
}

public sealed record ObservedContainer(string Name, string LastStatus, int? ExitCode = null, string? Reason = null);

/// <param name="ContainerPort">The port in the task definition (what <c>listen.http[].target</c> names).</param>
/// <param name="Host">Address Mirage connects to.</param>
/// <param name="HostPort">Port Mirage connects to.</param>
public sealed record TaskPortBinding(string ContainerName, int ContainerPort, string Host, int HostPort);
