using System.Net;
using Mirage.Api.Tests.Auth.Support;
using Mirage.Model.Configuration;
using Mirage.TestKit.Oidc;

namespace Mirage.Api.Tests.Auth;

/// <summary>
/// A method that fails hands over to the next one (mirage-ecs answers 500 when the OIDC header is bad or missing).
/// </summary>
public sealed class FallThroughTests : IAsyncLifetime
{
    private static readonly AuthConfig Auth = new()
    {
        Token = new TokenAuthConfig("x-mirage-token", "mytoken"),
        AmznOidc = new AmznOidcAuthConfig { Claim = "email", Matchers = [new OidcClaimMatcher(null, "@example.com")], AlbArn = AlbTokenFactory.Signer },
        Basic = new BasicAuthConfig("user", "pass"),
    };

    private AuthTestServer _server = null!;
    private WebApiClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        // Keys come from a loopback port nothing listens on: every fetch fails.
        _server = await AuthTestServer.StartAsync(Auth, oidc: o =>
        {
            o.PublicKeyEndpoint = new Uri($"http://127.0.0.1:{Mirage.TestKit.FreePort.Next()}/");
            o.FetchAttempts = 2;
            o.RetryDelay = TimeSpan.FromMilliseconds(10);
        });
        _client = new WebApiClient(_server.Port);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Bad_oidc_header_then_valid_basic_is_allowed()
    {
        var reply = await _client.GetAsync("/", h =>
        {
            h.Add("x-amzn-oidc-data", "this-is-not-a-jwt");
            h.Add("Authorization", WebApiClient.BasicHeader("user", "pass"));
        });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Missing_oidc_header_then_valid_basic_is_allowed()
    {
        var reply = await _client.GetAsync("/", h => h.Add("Authorization", WebApiClient.BasicHeader("user", "pass")));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Bad_token_then_valid_basic_is_allowed()
    {
        var reply = await _client.GetAsync("/", h =>
        {
            h.Add("x-mirage-token", "othertoken");
            h.Add("Authorization", WebApiClient.BasicHeader("user", "pass"));
        });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Unreachable_key_endpoint_then_valid_basic_is_allowed()
    {
        using var tokens = new AlbTokenFactory("1b7d1bb5-5d0c-4a3e-9a48-1f8b1b1f1f1f");

        var reply = await _client.GetAsync("/", h =>
        {
            h.Add("x-amzn-oidc-data", tokens.Create(TimeProvider.System));
            h.Add("Authorization", WebApiClient.BasicHeader("user", "pass"));
        });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Contains(_server.Logs.Lines, l => l.Contains("fetch attempt 2 of 2 failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_method_failing_is_401_with_every_reason_logged_and_never_500()
    {
        var reply = await _client.GetAsync("/", h =>
        {
            h.Add("x-mirage-token", "othertoken");
            h.Add("x-amzn-oidc-data", "a.b.c");
            h.Add("Authorization", WebApiClient.BasicHeader("user", "wrong"));
        });

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("Basic realm=\"Restricted\"", Assert.Single(reply.Headers.WwwAuthenticate).ToString());
        Assert.Contains(_server.Logs.Lines, l =>
            l.Contains("token: header x-mirage-token does not match", StringComparison.Ordinal)
            && l.Contains("amzn_oidc: ", StringComparison.Ordinal)
            && l.Contains("basic: Authorization header does not match", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Auth_without_any_method_refuses_everything()
    {
        await using var server = await AuthTestServer.StartAsync(new AuthConfig { CookieSecret = "cookie-secret" });
        using var client = new WebApiClient(server.Port);

        var web = await client.GetAsync("/");
        var api = await client.GetAsync("/api/list");

        Assert.Equal(HttpStatusCode.Unauthorized, web.Status);
        Assert.False(web.Headers.Contains("WWW-Authenticate"));
        Assert.Equal(HttpStatusCode.Unauthorized, api.Status);
    }
}
