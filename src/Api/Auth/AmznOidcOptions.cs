namespace Mirage.Api.Auth;

/// <summary>How ALB OIDC tokens are checked and how the ALB's public keys are fetched and kept.</summary>
public sealed class AmznOidcOptions
{
    /// <summary>
    /// When set, public keys are fetched from <c>{PublicKeyEndpoint}/{kid}</c> instead of the regional ALB key
    /// endpoint (tests serve keys from a loopback server this way). Only https, or http to a loopback address, is
    /// accepted (see <see cref="IsAllowedEndpoint"/>).
    /// </summary>
    public Uri? PublicKeyEndpoint { get; set; }

    /// <summary>Time allowed for one key fetch attempt.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per key fetch; network errors, 5xx, 408 and 429 are retried.</summary>
    public int FetchAttempts { get; set; } = 3;

    /// <summary>Delay before the second attempt; it doubles for each further one, up to 3 seconds.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a fetched key is kept. ALB keys never change for a kid, so this only bounds memory use over time.</summary>
    public TimeSpan KeyCacheTtl { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// How long a failed fetch is remembered (per URL, apart from the good keys), so a bad kid does not cause a fetch
    /// on every request; short, so a passing outage locks nobody out for long.
    /// </summary>
    public TimeSpan FailedFetchTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most good keys kept at once; the oldest goes first. Failures never take their place.</summary>
    public int KeyCacheCapacity { get; set; } = 64;

    /// <summary>Most remembered failures kept at once; the oldest goes first.</summary>
    public int FailedFetchCapacity { get; set; } = 256;

    /// <summary>Most key fetches running at once; a request needing another key waits for a slot.</summary>
    public int MaxConcurrentFetches { get; set; } = 4;

    /// <summary>
    /// Whether <paramref name="endpoint"/> may serve keys: https anywhere, plain http only on this machine (a test's
    /// key server), so keys never travel unprotected over a network.
    /// </summary>
    public static bool IsAllowedEndpoint(Uri endpoint) =>
        endpoint.IsAbsoluteUri
        && (endpoint.Scheme == Uri.UriSchemeHttps
            || (endpoint.Scheme == Uri.UriSchemeHttp && (endpoint.IsLoopback || (System.Net.IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip)))));

    /// <summary>Tolerance for clock differences with the ALB when checking <c>exp</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);
}
