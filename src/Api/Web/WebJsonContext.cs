using System.Text.Json.Serialization;

namespace Mirage.Api.Web;

/// <summary>Log lines for the environment page's follow view; <see cref="Next"/> is the <c>since</c> of the next poll.</summary>
public sealed record LogsFollowResponse(
    [property: JsonPropertyName("lines")] IReadOnlyList<LogsFollowLine> Lines,
    [property: JsonPropertyName("next")] string Next);

public sealed record LogsFollowLine(
    [property: JsonPropertyName("at")] string At,
    [property: JsonPropertyName("container")] string Container,
    [property: JsonPropertyName("message")] string Message);

/// <summary>A refused browser request: <c>result</c> as the API words it, <c>message</c> in plain English.</summary>
public sealed record WebErrorResponse(
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("message")] string Message);

[JsonSerializable(typeof(LogsFollowResponse))]
[JsonSerializable(typeof(WebErrorResponse))]
internal sealed partial class WebJsonContext : JsonSerializerContext;
