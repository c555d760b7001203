using System.Text.Json.Serialization;
using Mirage.Aws.Ecs.Wire;

namespace Mirage.Aws.Events;

/// <summary>An EventBridge event as SQS delivers it (the body of the message).</summary>
public sealed record EcsEventEnvelope
{
    [JsonPropertyName("detail-type")]
    public string? DetailType { get; init; }

    public string? Source { get; init; }

    public EcsTaskStateChange? Detail { get; init; }
}

/// <summary>
/// The detail of an ECS "Task State Change" event: the task as DescribeTasks shows it, without tags, with times as
/// ISO 8601 strings, and a <c>version</c> that grows with every change.
/// </summary>
public sealed record EcsTaskStateChange
{
    public string? TaskArn { get; init; }
    public string? ClusterArn { get; init; }
    public string? TaskDefinitionArn { get; init; }
    public string? LastStatus { get; init; }
    public string? DesiredStatus { get; init; }
    public string? StartedBy { get; init; }
    public string? Group { get; init; }
    public string? StopCode { get; init; }
    public string? StoppedReason { get; init; }
    public long? Version { get; init; }
    public IReadOnlyList<EcsContainer>? Containers { get; init; }
    public IReadOnlyList<EcsAttachment>? Attachments { get; init; }
    public EcsTaskOverride? Overrides { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? StoppingAt { get; init; }
    public DateTimeOffset? StoppedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The same task in the shape every other ECS answer has.</summary>
    public EcsTask ToTask() => new()
    {
        TaskArn = TaskArn ?? throw new InvalidOperationException("the event has no taskArn"),
        ClusterArn = ClusterArn,
        TaskDefinitionArn = TaskDefinitionArn,
        LastStatus = LastStatus,
        DesiredStatus = DesiredStatus,
        StartedBy = StartedBy,
        Group = Group,
        StopCode = StopCode,
        StoppedReason = StoppedReason,
        Version = Version,
        Containers = Containers,
        Attachments = Attachments,
        Overrides = Overrides,
        CreatedAt = CreatedAt,
        StartedAt = StartedAt,
        StoppingAt = StoppingAt,
        StoppedAt = StoppedAt,
    };
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(EcsEventEnvelope))]
internal sealed partial class EcsEventJsonContext : JsonSerializerContext;
