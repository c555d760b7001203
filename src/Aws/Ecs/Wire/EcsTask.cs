using System.Text.Json.Serialization;
using Mirage.Aws.Json;

namespace Mirage.Aws.Ecs.Wire;

/// <summary>The ECS Task shape (the fields Mirage reads).</summary>
public sealed record EcsTask
{
    public required string TaskArn { get; init; }
    public string? ClusterArn { get; init; }
    public string? TaskDefinitionArn { get; init; }
    public string? LastStatus { get; init; }
    public string? DesiredStatus { get; init; }
    public string? LaunchType { get; init; }
    public string? CapacityProviderName { get; init; }
    public string? Group { get; init; }
    public string? StartedBy { get; init; }
    public string? StopCode { get; init; }
    public string? StoppedReason { get; init; }
    public bool? EnableExecuteCommand { get; init; }
    public IReadOnlyList<EcsResourceTag>? Tags { get; init; }
    public IReadOnlyList<EcsContainer>? Containers { get; init; }
    public IReadOnlyList<EcsAttachment>? Attachments { get; init; }
    public EcsTaskOverride? Overrides { get; init; }

    /// <summary>Grows with every change of the task (DescribeTasks and the Task State Change event both carry it).</summary>
    public long? Version { get; init; }

    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? CreatedAt { get; init; }

    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? StartedAt { get; init; }

    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? StoppingAt { get; init; }

    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>The private IPv4 address of the task's ENI (awsvpc), if it has one yet.</summary>
    [JsonIgnore]
    public string? PrivateIpv4Address =>
        Attachments?
            .Where(a => a.Type is null or "ElasticNetworkInterface" or "eni")
            .SelectMany(a => a.Details ?? [])
            .FirstOrDefault(d => d.Name == "privateIPv4Address")?.Value;

    public string? Tag(string key) => Tags?.FirstOrDefault(t => t.Key == key)?.Value;
}

public sealed record EcsContainer
{
    public required string Name { get; init; }
    public string? ContainerArn { get; init; }
    public string? LastStatus { get; init; }
    public int? ExitCode { get; init; }
    public string? Reason { get; init; }
    public IReadOnlyList<EcsNetworkBinding>? NetworkBindings { get; init; }
}

public sealed record EcsNetworkBinding(string? BindIP = null, int? ContainerPort = null, int? HostPort = null, string? Protocol = null);

public sealed record EcsAttachment
{
    public string? Id { get; init; }
    public string? Type { get; init; }
    public string? Status { get; init; }
    public IReadOnlyList<EcsKeyValuePair>? Details { get; init; }
}
