using System.Text.Json.Serialization;
using Mirage.Model.Backend;

namespace Mirage.Aws.Ecs.Wire;

// Shapes shared by several ECS operations; names follow the ECS API (service-2.json, 2014-11-13).

public sealed record EcsResourceTag(string Key, string Value);

public sealed record EcsKeyValuePair(string Name, string Value);

public sealed record EcsFailure(string? Arn = null, string? Reason = null, string? Detail = null);

public sealed record EcsNetworkConfiguration(EcsAwsVpcConfiguration? AwsvpcConfiguration);

public sealed record EcsAwsVpcConfiguration
{
    public IReadOnlyList<string> Subnets { get; init; } = [];
    public IReadOnlyList<string>? SecurityGroups { get; init; }
    /// <summary>ENABLED or DISABLED.</summary>
    public string? AssignPublicIp { get; init; }
}

public sealed record EcsCapacityProviderStrategyItem(string CapacityProvider, int? Weight = null, int? Base = null);

public sealed record EcsTaskOverride
{
    public IReadOnlyList<EcsContainerOverride>? ContainerOverrides { get; init; }
    public string? Cpu { get; init; }
    public string? Memory { get; init; }
    public string? TaskRoleArn { get; init; }
    public string? ExecutionRoleArn { get; init; }
}

public sealed record EcsContainerOverride
{
    public required string Name { get; init; }
    public IReadOnlyList<string>? Command { get; init; }
    public IReadOnlyList<EcsKeyValuePair>? Environment { get; init; }
}

/// <summary>The desiredStatus filter of ListTasks.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EcsDesiredStatus>))]
public enum EcsDesiredStatus
{
    [JsonStringEnumMemberName(EcsTaskStatus.Running)]
    Running,

    [JsonStringEnumMemberName(EcsTaskStatus.Pending)]
    Pending,

    [JsonStringEnumMemberName(EcsTaskStatus.Stopped)]
    Stopped,
}
