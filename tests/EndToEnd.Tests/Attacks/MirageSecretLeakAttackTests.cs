using System.Net;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Attacks;

/// <summary>
/// Issue 12, item 5 (the Edge half): a preview runs code from any branch, so what it receives must never unlock
/// Mirage. The echo task shows exactly which headers reached it through a real Mirage.
/// </summary>
public sealed class MirageSecretLeakAttackTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_preview_never_sees_mirages_cookie_token_or_basic_credentials_but_keeps_its_own_cookies()
    {
        await using var scenario = await EdgeHardeningScenario.StartAsync(Ct);
        await scenario.LaunchEchoAsync("leak", Ct);
        var cookie = await scenario.LoginCookieAsync(Ct);

        using var response = await scenario.SendAsync(HttpMethod.Get, "leak.localtest.me", "/", r =>
        {
            r.Headers.Add("Cookie", $"session=app-session-1; mirage-ecs-auth={cookie}; theme=dark");
            r.Headers.Add(EdgeHardeningScenario.TokenHeader, EdgeHardeningScenario.Token);
            r.Headers.TryAddWithoutValidation("Authorization", EdgeHardeningScenario.MirageBasicAuthorization);
        }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        var seen = await EdgeHardeningScenario.EchoedHeadersAsync(response, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("session=app-session-1; theme=dark", seen["Cookie"]);
        Assert.DoesNotContain(cookie, body, StringComparison.Ordinal);
        Assert.DoesNotContain(EdgeHardeningScenario.Token, body, StringComparison.Ordinal);
        Assert.DoesNotContain(EdgeHardeningScenario.MirageBasicAuthorization, body, StringComparison.Ordinal);
        Assert.False(seen.ContainsKey(EdgeHardeningScenario.TokenHeader));
        Assert.False(seen.ContainsKey("Authorization"));
        await scenario.AssertAliveAsync(Ct);
    }

    [Fact]
    public async Task An_authorization_meant_for_the_preview_still_reaches_it()
    {
        await using var scenario = await EdgeHardeningScenario.StartAsync(Ct);
        await scenario.LaunchEchoAsync("own", Ct);
        var cookie = await scenario.LoginCookieAsync(Ct);

        using var response = await scenario.SendAsync(HttpMethod.Get, "own.localtest.me", "/", r =>
        {
            r.Headers.Add("Cookie", $"mirage-ecs-auth={cookie}");
            r.Headers.TryAddWithoutValidation("Authorization", "Bearer the-apps-own-token");
            r.Headers.Add(EdgeHardeningScenario.TokenHeader, "not-mirages-token");
        }, Ct);
        var seen = await EdgeHardeningScenario.EchoedHeadersAsync(response, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer the-apps-own-token", seen["Authorization"]);
        Assert.Equal("not-mirages-token", seen[EdgeHardeningScenario.TokenHeader]);
        // The cookie header held only Mirage's cookie, so none is sent on.
        Assert.False(seen.ContainsKey("Cookie"));
    }
}
