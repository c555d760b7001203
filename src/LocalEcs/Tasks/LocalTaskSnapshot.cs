using Mirage.LocalEcs.TaskDefinitions;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Tasks;

/// <summary>
/// A task's state at one moment. It is also the journal entry written to disk, so that a restarted Mirage finds
/// its tasks, their client tokens and their processes again.
/// </summary>
public sealed record LocalTaskSnapshot
{
    public required string Arn { get; init; }
    public required string TaskId { get; init; }
    public required LocalTaskDefinition Definition { get; init; }
    public required string ClientToken { get; init; }
    public string? StartedBy { get; init; }
    public IReadOnlyList<EcsTag> Tags { get; init; } = [];
    public IReadOnlyList<ContainerOverride> Overrides { get; init; } = [];
    public required string LastStatus { get; init; }
    public required string DesiredStatus { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? PullStartedAt { get; init; }
    public DateTimeOffset? PullStoppedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? StoppingAt { get; init; }
    public DateTimeOffset? ExecutionStoppedAt { get; init; }
    public DateTimeOffset? StoppedAt { get; init; }
    public string? StoppedReason { get; init; }
    public string? StopCode { get; init; }

    /// <summary>SHA-256 (hex) of the task's credentials authorization token; the token itself is never stored.</summary>
    public required string AuthorizationTokenHash { get; init; }

    public required IReadOnlyList<LocalContainerSnapshot> Containers { get; init; }

    public IEnumerable<TaskPortBinding> Ports => Containers.SelectMany(c => c.Ports);

    public ObservedTask ToObservedTask() => new()
    {
        Arn = Arn,
        TaskDefinitionArn = Definition.Arn,
        LastStatus = LastStatus,
        DesiredStatus = DesiredStatus,
        Tags = Tags,
        StartedBy = StartedBy,
        Containers = [.. Containers.Select(c => new ObservedContainer(c.Name, c.LastStatus, c.ExitCode, c.Reason))],
        Ports = [.. Ports],
        IpAddress = LocalTask.Loopback,
        Overrides = Overrides,
        CreatedAt = CreatedAt,
        StartedAt = StartedAt,
        StoppingAt = StoppingAt,
        StoppedAt = StoppedAt,
        StoppedReason = StoppedReason,
        StopCode = StopCode,
    };
}

public sealed record LocalContainerSnapshot
{
    public required string Name { get; init; }
    public required string LastStatus { get; init; }
    public int? Pid { get; init; }

    /// <summary>The engine's container id (docker runtime).</summary>
    public string? ContainerId { get; init; }

    /// <summary>The container's address on the engine network (docker runtime).</summary>
    public string? IpAddress { get; init; }

    public string? ImageId { get; init; }
    public long? StartTicks { get; init; }
    public int? ExitCode { get; init; }
    public string? Reason { get; init; }
    public IReadOnlyList<TaskPortBinding> Ports { get; init; } = [];
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
}
