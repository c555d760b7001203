namespace Mirage.Api.Auth;

/// <summary>
/// The CSRF rule for browser POSTs (mirage-ecs §2.4): <c>Origin</c> must be a URL whose host, port aside, is
/// <c>host.webapi</c>. Host names compare case-insensitively (mirage-ecs compares exactly; browsers send them lower-cased).
/// </summary>
public static class OriginCheck
{
    /// <summary>Null when the origin is acceptable, otherwise what to fix.</summary>
    public static string? Problem(string? origin, string webApi)
    {
        var expected = webApi.Trim();
        if (string.IsNullOrWhiteSpace(origin))
        {
            return $"this request changes state and needs an Origin header naming {expected} (send it from the web UI, or add Origin: http://{expected})";
        }
        if (!Uri.TryCreate(origin.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.Host.Length == 0)
        {
            return $"the Origin header is not an http(s) URL; it must be http(s)://{expected} with an optional port";
        }
        return string.Equals(url.IdnHost.TrimEnd('.'), expected.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)
            ? null
            : $"the Origin host {url.Host} is not {expected}; requests that change state must come from the web UI";
    }
}
