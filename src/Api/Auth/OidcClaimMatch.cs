using System.Text.Json;
using Mirage.Model.Configuration;

namespace Mirage.Api.Auth;

/// <summary>
/// <c>auth.amzn_oidc.claim</c> and <c>matchers</c> (mirage-ecs §3.7): the claim must be a string, and any matcher may
/// allow it. A matcher with <c>exact</c> compares for equality only; otherwise a non-empty <c>suffix</c> is a suffix
/// test; a matcher with neither never matches.
/// </summary>
public static class OidcClaimMatch
{
    public static bool Matches(AmznOidcAuthConfig config, JsonElement claims)
    {
        if (string.IsNullOrEmpty(config.Claim)
            || claims.ValueKind != JsonValueKind.Object
            || !claims.TryGetProperty(config.Claim, out var value)
            || value.ValueKind != JsonValueKind.String)
        {
            return false;
        }
        var text = value.GetString()!;
        return config.Matchers.Any(m => Matches(m, text));
    }

    public static bool Matches(OidcClaimMatcher matcher, string value)
    {
        if (!string.IsNullOrEmpty(matcher.Exact))
        {
            return string.Equals(matcher.Exact, value, StringComparison.Ordinal);
        }
        return !string.IsNullOrEmpty(matcher.Suffix) && value.EndsWith(matcher.Suffix, StringComparison.Ordinal);
    }
}
