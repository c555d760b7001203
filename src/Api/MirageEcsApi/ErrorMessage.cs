using System.Text.Json.Serialization;

namespace Mirage.Api.MirageEcsApi;

/// <summary>echo's error body (<c>{"message":"Bad Request"}</c>), with Mirage's explanation of what to fix.</summary>
public sealed record ErrorMessage(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("detail")] string? Detail = null);
