using System.Text.Json.Serialization;

namespace Mirage.Api.MirageEcsApi;

// The request bodies as the OpenAPI document describes them. The endpoints read bodies with RequestBody, which also
// takes forms (-compat-v1) and reports each wrongly typed field by name.

/// <summary>POST /api/launch.</summary>
public sealed record LaunchRequest(
    [property: JsonPropertyName("subdomain")] string Subdomain,
    [property: JsonPropertyName("taskdef")] IReadOnlyList<string> TaskDef,
    [property: JsonPropertyName("branch")] string? Branch = null,
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, string>? Parameters = null,
    [property: JsonPropertyName("wait")] bool? Wait = null,
    [property: JsonPropertyName("wait_timeout")] int? WaitTimeout = null,
    [property: JsonPropertyName("sleep_after")] string? SleepAfter = null);

/// <summary>POST /api/terminate: <c>id</c> (a task) wins over <c>subdomain</c>.</summary>
public sealed record TerminateRequest(
    [property: JsonPropertyName("id")] string? Id = null,
    [property: JsonPropertyName("subdomain")] string? Subdomain = null);

/// <summary>POST /api/purge: <c>duration</c> in seconds (number or numeric string), at least 300.</summary>
public sealed record PurgeRequestBody(
    [property: JsonPropertyName("duration")] long Duration,
    [property: JsonPropertyName("excludes")] IReadOnlyList<string>? Excludes = null,
    [property: JsonPropertyName("exclude_tags")] IReadOnlyList<string>? ExcludeTags = null,
    [property: JsonPropertyName("exclude_regexp")] string? ExcludeRegexp = null,
    [property: JsonPropertyName("dry_run")] bool? DryRun = null);

/// <summary>POST /api/environments/{subdomain}/keep.</summary>
public sealed record KeepRequest([property: JsonPropertyName("keep")] bool Keep);
