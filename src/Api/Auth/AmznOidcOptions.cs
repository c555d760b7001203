namespace Mirage.Api.Auth;

/// <summary>How ALB OIDC tokens are checked and how the ALB's public keys are fetched and kept.</summary>
public sealed class AmznOidcOptions
{
    /// <summary>
    /// When set, public keys are fetched from <c>{PublicKeyEndpoint}/{kid}</c> instead of the regional ALB key
    /// endpoint (tests serve keys from a loopback server this way).
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

    /// <summary>How long a failed fetch is remembered, so a bad kid does not cause a fetch on every request.</summary>
    public TimeSpan FailedFetchTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most keys (and remembered failures) kept at once; the oldest goes first.</summary>
    public int KeyCacheCapacity { get; set; } = 64;

    /// <summary>Most key fetches running at once; requests needing another key are refused meanwhile.</summary>
    public int MaxConcurrentFetches { get; set; } = 4;

    /// <summary>Tolerance for clock differences with the ALB when checking <c>exp</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);
}
