using System.Text.Json.Serialization;

namespace Mirage.Api.Cli;

[JsonSerializable(typeof(LaunchBody))]
[JsonSerializable(typeof(TerminateBody))]
[JsonSerializable(typeof(string))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

internal sealed record LaunchBody(
    [property: JsonPropertyName("subdomain")] string Subdomain,
    [property: JsonPropertyName("branch")] string Branch,
    [property: JsonPropertyName("taskdef")] IReadOnlyList<string> TaskDef,
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, string> Parameters);

internal sealed record TerminateBody([property: JsonPropertyName("subdomain")] string Subdomain);
