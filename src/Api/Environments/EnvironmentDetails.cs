using System.Text.Json.Serialization;
using Mirage.Api.MirageEcsApi;
using Mirage.Model.Intents;

namespace Mirage.Api.Environments;

/// <summary><c>GET /api/environments/{subdomain}</c>: what was asked for, what the reconciler reports, and the tasks.</summary>
public sealed record EnvironmentDetails(
    [property: JsonPropertyName("subdomain")] string Subdomain,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("intent")] EnvironmentIntent Intent,
    [property: JsonPropertyName("status")] EnvironmentStatus? Status,
    [property: JsonPropertyName("tasks")] IReadOnlyList<TaskInformation> Tasks);

/// <summary><c>GET /api/environments</c>.</summary>
public sealed record EnvironmentList([property: JsonPropertyName("result")] IReadOnlyList<EnvironmentDetails> Result);
