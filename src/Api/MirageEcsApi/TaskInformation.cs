using System.Text.Json.Serialization;

namespace Mirage.Api.MirageEcsApi;

/// <summary>One row of <c>/api/list</c>, field for field as mirage-ecs's Information, plus Mirage's additions at the end.</summary>
public sealed record TaskInformation
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("short_id")] public required string ShortId { get; init; }
    [JsonPropertyName("subdomain")] public required string Subdomain { get; init; }
    [JsonPropertyName("branch")] public required string Branch { get; init; }
    [JsonPropertyName("taskdef")] public required string TaskDef { get; init; }
    [JsonPropertyName("ipaddress")] public required string IpAddress { get; init; }
    [JsonPropertyName("created")] public required DateTimeOffset Created { get; init; }
    [JsonPropertyName("last_status")] public required string LastStatus { get; init; }
    [JsonPropertyName("port_map")] public required IReadOnlyDictionary<string, int> PortMap { get; init; }
    [JsonPropertyName("env")] public required IReadOnlyDictionary<string, string> Env { get; init; }
    [JsonPropertyName("tags")] public required IReadOnlyList<TaskTag> Tags { get; init; }

    /// <summary>Mirage: the environment's lifecycle state (Pending, Running, Failed…).</summary>
    [JsonPropertyName("state")] public string? State { get; init; }

    /// <summary>Mirage: the URL that reaches the environment.</summary>
    [JsonPropertyName("url")] public string? Url { get; init; }
}

/// <summary>An ECS tag as mirage-ecs serializes it (the SDK's field names).</summary>
public sealed record TaskTag([property: JsonPropertyName("Key")] string Key, [property: JsonPropertyName("Value")] string Value);
