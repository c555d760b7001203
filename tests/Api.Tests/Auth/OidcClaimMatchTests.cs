using System.Text.Json;
using Mirage.Api.Auth;
using Mirage.Model.Configuration;

namespace Mirage.Api.Tests.Auth;

/// <summary>mirage-ecs TestAuthMethodAmznOIDC_Match (MatchClaims), case by case.</summary>
public sealed class OidcClaimMatchTests
{
    public static TheoryData<string, string, OidcClaimMatcher[], string, bool> Cases => new()
    {
        { "Claim matches", "email", [new("user@example.com", null)], "user@example.com", true },
        { "Claim does not match", "email", [new("user@example.com", null)], "xxx@example.com", false },
        { "Claim is empty", "", [new("user@example.com", null)], "user@example.com", false },
        { "Claim matches suffix", "email", [new(null, "@example.com")], "user@example.com", true },
        { "Claim does not match suffix", "email", [new(null, "@example.com")], "user@example.net", false },
        { "Claim matches any suffix", "email", [new(null, "@example.com"), new(null, "@example.net")], "user@example.net", true },
        { "Claim matches any exact", "email", [new("foo@example.com", null), new("bar@example.net", null)], "bar@example.net", true },
        { "Claim match both", "email", [new(null, "@example.com"), new("user@example.com", null)], "user@example.com", true },
        { "Claim does not match both", "email", [new(null, "@example.net"), new("user@example.net", null)], "user@example.com", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_as_mirage_ecs(string name, string claim, OidcClaimMatcher[] matchers, string email, bool expected)
    {
        var config = new AmznOidcAuthConfig { Claim = claim, Matchers = matchers };
        using var claims = JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, string> { ["email"] = email }));

        Assert.True(expected == OidcClaimMatch.Matches(config, claims.RootElement), name);
    }

    [Fact]
    public void Exact_wins_over_suffix_in_one_matcher_and_an_empty_matcher_never_matches()
    {
        Assert.False(OidcClaimMatch.Matches(new OidcClaimMatcher("a@example.com", "@example.com"), "b@example.com"));
        Assert.False(OidcClaimMatch.Matches(new OidcClaimMatcher(null, null), "b@example.com"));
        Assert.False(OidcClaimMatch.Matches(new OidcClaimMatcher("", ""), ""));
    }

    [Fact]
    public void A_claim_that_is_not_a_string_never_matches()
    {
        var config = new AmznOidcAuthConfig { Claim = "groups", Matchers = [new OidcClaimMatcher(null, "admins")] };
        using var claims = JsonDocument.Parse("""{"groups":["admins"]}""");

        Assert.False(OidcClaimMatch.Matches(config, claims.RootElement));
    }
}
