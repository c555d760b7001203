using System.Net;
using Microsoft.Extensions.Time.Testing;
using Mirage.Api.Tests.Auth.Support;
using Mirage.Edge.Auth;
using Mirage.Model.Configuration;
using Mirage.TestKit;

namespace Mirage.Api.Tests.Auth;

/// <summary>mirage-ecs TestAuthCookie, through the web UI that issues the cookie, plus when none is issued.</summary>
public sealed class AuthCookieIssueTests
{
    private static readonly AuthConfig Auth = new()
    {
        CookieSecret = "cookie-secret",
        Token = new TokenAuthConfig("x-mirage-token", "mytoken"),
    };

    [Fact]
    public async Task Issued_cookie_has_the_attributes_validates_refuses_tampering_and_expires()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = await AuthTestServer.StartAsync(Auth, time: clock);
        using var client = new WebApiClient(server.Port);

        var reply = await client.GetAsync("/", h => h.Add("x-mirage-token", "mytoken"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var setCookie = Assert.Single(reply.SetCookies);
        Assert.StartsWith("mirage-ecs-auth=", setCookie, StringComparison.Ordinal);
        Assert.Contains("expires=Mon, 02 Mar 2026 12:00:00 GMT", setCookie, StringComparison.Ordinal);
        Assert.Contains("domain=localtest.me", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.Ordinal);

        var value = reply.AuthCookieValue!;
        var verifier = new AuthCookie(server.Config, clock);
        Assert.Equal(AuthCookieVerdict.Valid, verifier.Verify(value));
        var tampered = value[..^2] + (value[^2] == 'A' ? "B" : "A") + value[^1];
        Assert.NotEqual(AuthCookieVerdict.Valid, verifier.Verify(tampered));
        Assert.Equal(AuthCookieVerdict.BadSignature, new AuthCookie(server.Config with { Auth = Auth with { CookieSecret = "other" } }, clock).Verify(value));

        clock.Advance(TimeSpan.FromHours(24));
        Assert.Equal(AuthCookieVerdict.Expired, verifier.Verify(value));
    }

    [Fact]
    public async Task Every_authorized_web_response_gets_a_fresh_cookie()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        await using var server = await AuthTestServer.StartAsync(Auth, time: clock);
        using var client = new WebApiClient(server.Port);

        var first = await client.GetAsync("/", h => h.Add("x-mirage-token", "mytoken"));
        clock.Advance(TimeSpan.FromMinutes(1));
        var second = await client.GetAsync("/no-such-page", h => h.Add("x-mirage-token", "mytoken"));

        Assert.NotNull(first.AuthCookieValue);
        Assert.Equal(HttpStatusCode.NotFound, second.Status);
        Assert.NotNull(second.AuthCookieValue);
        Assert.NotEqual(first.AuthCookieValue, second.AuthCookieValue);
    }

    [Fact]
    public async Task No_cookie_without_a_cookie_secret_or_without_auth()
    {
        await using var noSecret = await AuthTestServer.StartAsync(Auth with { CookieSecret = "" });
        await using var open = await AuthTestServer.StartAsync(null);
        using var noSecretClient = new WebApiClient(noSecret.Port);
        using var openClient = new WebApiClient(open.Port);

        var withoutSecret = await noSecretClient.GetAsync("/", h => h.Add("x-mirage-token", "mytoken"));
        var withoutAuth = await openClient.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, withoutSecret.Status);
        Assert.Empty(withoutSecret.SetCookies);
        Assert.Equal(HttpStatusCode.OK, withoutAuth.Status);
        Assert.Empty(withoutAuth.SetCookies);
    }
}
