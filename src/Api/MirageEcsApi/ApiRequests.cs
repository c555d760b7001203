using System.Text.Json.Serialization;

namespace Mirage.Api.MirageEcsApi;

// The request bodies as the OpenAPI document describes them. The endpoints read bodies with RequestBody, which also
// takes forms (-compat-v1) and reports each wrongly typed field by name.

/// <summary>POST /api/launch.</summary>
public sealed record LaunchRequest(
    [property: JsonPropertyName("subdomain")] string Subdomain,
    [property: JsonPropertyName("branch")] string? Branch,
    [property: JsonPropertyName("taskdef")] IReadOnlyList<string> TaskDef,
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, string>? Parameters,
    [property: JsonPropertyName("wait")] bool? Wait,
    [property: JsonPropertyName("wait_timeout")] int? WaitTimeout);

/// <summary>POST /api/terminate: <c>id</c> (a task) wins over <c>subdomain</c>.</summary>
public sealed record TerminateRequest(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("subdomain")] string? Subdomain);

/// <summary>POST /api/purge: <c>duration</c> in seconds (number or numeric string), at least 300.</summary>
public sealed record PurgeRequestBody(
    [property: JsonPropertyName("duration")] long Duration,
    [property: JsonPropertyName("excludes")] IReadOnlyList<string>? Excludes,
    [property: JsonPropertyName("exclude_tags")] IReadOnlyList<string>? ExcludeTags,
    [property: JsonPropertyName("exclude_regexp")] string? ExcludeRegexp,
    [property: JsonPropertyName("dry_run")] bool? DryRun);
