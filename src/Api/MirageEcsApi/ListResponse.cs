using System.Text.Json.Serialization;

namespace Mirage.Api.MirageEcsApi;

public sealed record ListResponse([property: JsonPropertyName("result")] IReadOnlyList<TaskInformation> Result);

/// <summary>mirage-ecs answers <c>{"result":null}</c> when there are no lines; the null is written, not left out.</summary>
public sealed record LogsResponse(
    [property: JsonPropertyName("result"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyList<string>? Result);

public sealed record AccessResponse(
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("duration")] long Duration,
    [property: JsonPropertyName("sum")] long Sum);

/// <summary>Mirage: <c>/api/purge</c> with <c>"dry_run": true</c> answers with what a purge would terminate now.</summary>
public sealed record PurgeDryRunResponse(
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("subdomains")] IReadOnlyList<string> Subdomains);
