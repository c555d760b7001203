using Microsoft.Net.Http.Headers;

namespace Mirage.Api.Auth;

/// <summary>
/// mirage-ecs v2 takes only JSON on <c>POST /api/*</c> (§2.5): the media type must be <c>application/json</c>,
/// parameters such as <c>charset</c> allowed. <c>-compat-v1</c> lifts the rule.
/// </summary>
public static class ApiContentType
{
    public const string Required = "application/json";

    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals(Required, StringComparison.OrdinalIgnoreCase);
}
