using System.Net;
using Mirage.Api.Tests.Auth.Support;
using Mirage.Model.Configuration;

namespace Mirage.Api.Tests.Auth;

/// <summary>
/// mirage-ecs TestAuthMiddleware, case by case, over real HTTP: token and basic configured with a cookie secret,
/// web routes and <c>/api/*</c> behind one server.
/// </summary>
public sealed class AuthMiddlewareTests : IAsyncLifetime
{
    private const string TokenHeader = "x-mirage-token";

    private static readonly AuthConfig Auth = new()
    {
        CookieSecret = "cookie-secret",
        Token = new TokenAuthConfig(TokenHeader, "mytoken"),
        Basic = new BasicAuthConfig("user", "pass"),
    };

    private AuthTestServer _server = null!;
    private WebApiClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await AuthTestServer.StartAsync(Auth);
        _client = new WebApiClient(_server.Port);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Token_matches()
    {
        var reply = await _client.GetAsync("/", h => h.Add(TokenHeader, "mytoken"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("ok", reply.Body);
        AssertAuthCookie(reply);
    }

    [Fact]
    public async Task Token_does_not_match()
    {
        var reply = await _client.GetAsync("/", h => h.Add(TokenHeader, "othertoken"));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("""{"message":"Unauthorized"}""", reply.Body);
        Assert.Equal("application/json", reply.ContentType);
        Assert.Equal("Basic realm=\"Restricted\"", Assert.Single(reply.Headers.WwwAuthenticate).ToString());
        Assert.Empty(reply.SetCookies);
    }

    [Fact]
    public async Task Basic_matches()
    {
        var reply = await _client.GetAsync("/", h => h.Add("Authorization", WebApiClient.BasicHeader("user", "pass")));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("ok", reply.Body);
        AssertAuthCookie(reply);
    }

    [Fact]
    public async Task Basic_does_not_match()
    {
        var reply = await _client.GetAsync("/", h => h.Add("Authorization", WebApiClient.BasicHeader("userx", "pass")));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Empty(reply.SetCookies);
    }

    [Fact]
    public async Task Token_matches_and_basic_does_not()
    {
        var reply = await _client.GetAsync("/", h =>
        {
            h.Add(TokenHeader, "mytoken");
            h.Add("Authorization", WebApiClient.BasicHeader("userx", "pass"));
        });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("ok", reply.Body);
        AssertAuthCookie(reply);
    }

    [Fact]
    public async Task Api_does_not_allow_basic()
    {
        var reply = await _client.GetAsync("/api/list", h => h.Add("Authorization", WebApiClient.BasicHeader("user", "pass")));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("""{"message":"Unauthorized"}""", reply.Body);
        Assert.Empty(reply.SetCookies);
    }

    [Fact]
    public async Task Post_launch_requires_an_origin_header()
    {
        var reply = await _client.PostAsync("/launch", null, h => h.Add("Authorization", WebApiClient.BasicHeader("user", "pass")));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.StartsWith("""{"message":"Bad Request","detail":""", reply.Body, StringComparison.Ordinal);
        Assert.Contains("Origin", reply.Body, StringComparison.Ordinal);
        Assert.Empty(reply.SetCookies);
    }

    [Fact]
    public async Task Post_launch_succeeds_with_an_origin_with_port_and_basic()
    {
        var reply = await _client.PostAsync("/launch", null, h =>
        {
            h.Add("Authorization", WebApiClient.BasicHeader("user", "pass"));
            h.Add("Origin", "https://mirage.localtest.me:8000");
        });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Contains("launched", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_launch_succeeds_with_an_origin_without_port_and_basic()
    {
        var reply = await _client.PostAsync("/launch", null, h =>
        {
            h.Add("Authorization", WebApiClient.BasicHeader("user", "pass"));
            h.Add("Origin", "https://mirage.localtest.me");
        });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Contains("launched", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_launch_fails_with_a_valid_cookie_only()
    {
        var cookie = await ValidCookieAsync();

        var reply = await _client.PostAsync("/launch", null, h =>
        {
            h.Add("Cookie", $"mirage-ecs-auth={cookie}");
            h.Add("Origin", "https://mirage.localtest.me:8000");
        });

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
    }

    [Fact]
    public async Task Api_does_not_allow_cookie_auth()
    {
        var cookie = await ValidCookieAsync();

        var reply = await _client.GetAsync("/api/list", h => h.Add("Cookie", $"mirage-ecs-auth={cookie}"));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
    }

    [Fact]
    public async Task Api_allows_the_token_and_sets_no_cookie()
    {
        var reply = await _client.GetAsync("/api/list", h => h.Add(TokenHeader, "mytoken"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("""{"result":[]}""", reply.Body);
        Assert.Empty(reply.SetCookies);
    }

    [Fact]
    public async Task Unknown_paths_are_behind_auth_too()
    {
        var web = await _client.GetAsync("/no-such-page");
        var api = await _client.GetAsync("/api/no-such-endpoint", h => h.Add("Authorization", WebApiClient.BasicHeader("user", "pass")));
        var allowed = await _client.GetAsync("/no-such-page", h => h.Add(TokenHeader, "mytoken"));

        Assert.Equal(HttpStatusCode.Unauthorized, web.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, api.Status);
        Assert.Equal(HttpStatusCode.NotFound, allowed.Status);
    }

    [Fact]
    public async Task Other_hosts_are_left_to_the_edge()
    {
        using var health = new WebApiClient(_server.Port, "127.0.0.1");

        var reply = await health.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("mirage-ecs\n", reply.Body);
    }

    [Fact]
    public async Task Secrets_never_reach_the_logs()
    {
        await _client.GetAsync("/", h => h.Add(TokenHeader, "mytoken"));
        await _client.GetAsync("/", h => h.Add(TokenHeader, "wrong-token-value"));
        await _client.GetAsync("/", h => h.Add("Authorization", WebApiClient.BasicHeader("user", "pass")));
        await _client.GetAsync("/", h => h.Add("Authorization", WebApiClient.BasicHeader("user", "wrong-password")));
        await _client.GetAsync("/api/list", h => h.Add(TokenHeader, "wrong-api-token"));

        var lines = _server.Logs.Lines;
        Assert.Contains(lines, l => l.Contains("refused (401)", StringComparison.Ordinal) && l.Contains("header x-mirage-token does not match", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("allowed by basic", StringComparison.Ordinal));
        foreach (var secret in new[] { "mytoken", "wrong-token-value", "wrong-api-token", "pass\"", "wrong-password", "cookie-secret",
                     WebApiClient.BasicHeader("user", "pass")[6..], WebApiClient.BasicHeader("user", "wrong-password")[6..] })
        {
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    private async Task<string> ValidCookieAsync()
    {
        var reply = await _client.GetAsync("/", h => h.Add(TokenHeader, "mytoken"));
        return reply.AuthCookieValue ?? throw new InvalidOperationException("no auth cookie was issued");
    }

    private static void AssertAuthCookie(Reply reply)
    {
        var cookie = Assert.Single(reply.SetCookies, c => c.StartsWith("mirage-ecs-auth=", StringComparison.Ordinal));
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).ToList();
        Assert.Contains("domain=localtest.me", attributes);
        Assert.Contains("path=/", attributes);
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
    }
}
