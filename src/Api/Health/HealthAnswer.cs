using System.Text.Json.Serialization;

namespace Mirage.Api.Health;

/// <summary>What <c>/healthz</c> and <c>/readyz</c> answer.</summary>
public sealed record HealthAnswer(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("checks")] IReadOnlyDictionary<string, HealthCheckAnswer> Checks);

public sealed record HealthCheckAnswer(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("description")] string Description);

[JsonSerializable(typeof(HealthAnswer))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
