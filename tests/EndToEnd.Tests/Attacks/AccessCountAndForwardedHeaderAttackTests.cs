using System.Net;
using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Attacks;

/// <summary>
/// Issue 12, item 6: traffic nobody logged in for must not keep an environment alive, and a client on an untrusted
/// address cannot tell the preview it came over HTTPS, from elsewhere or for another host.
/// </summary>
public sealed class AccessCountAndForwardedHeaderAttackTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<long> AccessCountAsync(EdgeHardeningScenario scenario, string subdomain)
    {
        using var response = await scenario.SendAsync(HttpMethod.Get, MirageProcess.WebHost, $"/api/access?subdomain={subdomain}&duration=3600",
            r => r.Headers.Add(EdgeHardeningScenario.TokenHeader, EdgeHardeningScenario.Token), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return json.RootElement.GetProperty("sum").GetInt64();
    }

    [Fact]
    public async Task Requests_refused_at_the_cookie_gate_do_not_count_as_accesses()
    {
        await using var scenario = await EdgeHardeningScenario.StartAsync(Ct);
        await scenario.LaunchEchoAsync("idle", Ct);

        for (var i = 0; i < 20; i++)
        {
            using var refused = await scenario.SendAsync(HttpMethod.Get, "idle.localtest.me", $"/poll-{i}", _ => { }, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        var afterRefused = await AccessCountAsync(scenario, "idle");

        var cookie = await scenario.LoginCookieAsync(Ct);
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await scenario.SendAsync(HttpMethod.Get, "idle.localtest.me", "/", r => r.Headers.Add("Cookie", $"mirage-ecs-auth={cookie}"), Ct);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        Assert.Equal(0, afterRefused);
        Assert.Equal(3, await AccessCountAsync(scenario, "idle"));
        await scenario.AssertAliveAsync(Ct);
    }

    [Fact]
    public async Task Spoofed_forwarded_headers_from_loopback_are_replaced_with_what_mirage_sees()
    {
        await using var scenario = await EdgeHardeningScenario.StartAsync(Ct);
        await scenario.LaunchEchoAsync("spoof", Ct);
        var cookie = await scenario.LoginCookieAsync(Ct);

        using var response = await scenario.SendAsync(HttpMethod.Get, "spoof.localtest.me", "/", r =>
        {
            r.Headers.Add("Cookie", $"mirage-ecs-auth={cookie}");
            r.Headers.TryAddWithoutValidation("X-Forwarded-For", "10.1.2.3");
            r.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
            r.Headers.TryAddWithoutValidation("X-Forwarded-Host", "admin.example.com");
            r.Headers.TryAddWithoutValidation("Forwarded", "for=10.1.2.3;proto=https");
            r.Headers.TryAddWithoutValidation("X-Real-IP", "10.1.2.3");
        }, Ct);
        var seen = await EdgeHardeningScenario.EchoedHeadersAsync(response, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("127.0.0.1", seen["X-Forwarded-For"]);
        Assert.Equal("http", seen["X-Forwarded-Proto"]);
        Assert.Equal($"spoof.localtest.me:{scenario.Mirage.Port}", seen["X-Forwarded-Host"]);
        Assert.False(seen.ContainsKey("Forwarded"));
        Assert.False(seen.ContainsKey("X-Real-IP"));
        await scenario.AssertAliveAsync(Ct);
    }
}
