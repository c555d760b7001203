namespace Mirage.Api.Auth;

/// <summary>
/// The CSRF rule for browser POSTs (mirage-ecs §2.4): <c>Origin</c> must be a URL whose host, port aside, is
/// <c>host.webapi</c>. Host names compare case-insensitively (mirage-ecs compares exactly; browsers send them lower-cased).
/// Mirage also refuses a request whose <c>Sec-Fetch-Site</c> says another site (or a sibling subdomain, such as a
/// preview) sent it.
/// </summary>
public static class OriginCheck
{
    /// <summary>
    /// The rule for <c>/api/*</c>, where scripts and curl need no Origin: a request that carries neither
    /// <c>Origin</c> nor <c>Sec-Fetch-Site</c> did not come from a browser page and passes; one that does must come
    /// from the web UI itself. Null when acceptable, otherwise what to fix.
    /// </summary>
    public static string? BrowserProblem(string? origin, string? fetchSite, string webApi)
    {
        if (string.IsNullOrEmpty(origin) && string.IsNullOrEmpty(fetchSite))
        {
            return null;
        }
        return FetchSiteProblem(fetchSite) ?? (string.IsNullOrEmpty(origin) ? null : Problem(origin, webApi));
    }

    /// <summary>
    /// Null unless <c>Sec-Fetch-Site</c> names a sender other than the page's own origin (<c>same-origin</c>) or the
    /// user (<c>none</c>): <c>same-site</c> is refused too, as previews are sibling subdomains of the web UI.
    /// </summary>
    public static string? FetchSiteProblem(string? fetchSite) =>
        string.IsNullOrEmpty(fetchSite) || fetchSite.Trim() is "same-origin" or "none"
            ? null
            : $"Sec-Fetch-Site is {fetchSite.Trim()}: requests that change state must come from the web UI's own pages";

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
