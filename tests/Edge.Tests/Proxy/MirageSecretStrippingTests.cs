using System.Net;
using System.Text;
using Mirage.Edge.Auth;
using Mirage.Edge.Tests.Support;
using Mirage.Model.Configuration;

namespace Mirage.Edge.Tests.Proxy;

/// <summary>What reaches a real Kestrel upstream (its <c>/headers</c> echoes them) when a client sends Mirage's credentials.</summary>
public sealed class MirageSecretStrippingTests
{
    private const string Secret = "cookie-secret-for-tests";
    private const string TokenHeader = "x-mirage-token";
    private const string Token = "mirage-api-token-value";

    private static readonly AuthConfig Auth = new()
    {
        CookieSecret = Secret,
        Token = new TokenAuthConfig(TokenHeader, Token),
        Basic = new BasicAuthConfig("admin", "mirage-password"),
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string MirageBasic => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:mirage-password"));

    private static async Task<Dictionary<string, string>> SendAsync(EdgeServer edge, Action<HttpRequestMessage> headers)
    {
        using var client = EdgeClient.Create();
        using var request = EdgeClient.Request(HttpMethod.Get, edge.Port, "app.dev.test", "/headers");
        headers(request);
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return DispatchTests.ParseHeaders(await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<(LoopbackBackend Backend, EdgeServer Edge, string Cookie)> StartAsync()
    {
        var backend = await LoopbackBackend.StartAsync("b");
        var edge = await EdgeServer.StartAsync(listen: [(80, true)], auth: Auth);
        edge.Routes.Publish([RouteFactory.To("app", 1, 80, backend.Port)]);
        return (backend, edge, edge.Service<AuthCookie>().Issue().Value);
    }

    [Fact]
    public async Task The_upstream_never_sees_mirages_cookie_but_sees_the_applications_own_in_order()
    {
        var (backend, edge, cookie) = await StartAsync();
        await using var _ = backend;
        await using var __ = edge;

        var mixed = await SendAsync(edge, r => r.Headers.TryAddWithoutValidation("Cookie", $"session=abc; {AuthCookie.Name}={cookie}; theme=dark"));
        var alone = await SendAsync(edge, r => r.Headers.TryAddWithoutValidation("Cookie", $"{AuthCookie.Name}={cookie}"));

        Assert.Equal("session=abc; theme=dark", mixed["Cookie"]);
        Assert.False(alone.ContainsKey("Cookie"));
        Assert.DoesNotContain(cookie, string.Join('\n', mixed.Values.Concat(alone.Values)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_upstream_never_sees_mirages_token_or_basic_credentials_but_sees_its_own_authorization()
    {
        var (backend, edge, cookie) = await StartAsync();
        await using var _ = backend;
        await using var __ = edge;

        var mirages = await SendAsync(edge, r =>
        {
            r.Headers.TryAddWithoutValidation("Cookie", $"{AuthCookie.Name}={cookie}");
            r.Headers.TryAddWithoutValidation(TokenHeader, Token);
            r.Headers.TryAddWithoutValidation("Authorization", MirageBasic);
        });
        var apps = await SendAsync(edge, r =>
        {
            r.Headers.TryAddWithoutValidation("Cookie", $"{AuthCookie.Name}={cookie}");
            r.Headers.TryAddWithoutValidation(TokenHeader, "the-apps-own-value");
            r.Headers.TryAddWithoutValidation("Authorization", "Bearer app-token");
        });

        Assert.False(mirages.ContainsKey(TokenHeader));
        Assert.False(mirages.ContainsKey("Authorization"));
        Assert.DoesNotContain(Token, string.Join('\n', mirages.Values), StringComparison.Ordinal);
        Assert.Equal("the-apps-own-value", apps[TokenHeader]);
        Assert.Equal("Bearer app-token", apps["Authorization"]);
    }

    [Theory]
    [InlineData("a=1; mirage-ecs-auth=x; b=2", "a=1; b=2")]
    [InlineData("mirage-ecs-auth=x", null)]
    [InlineData(" mirage-ecs-auth = x ;", null)]
    [InlineData("mirage-ecs-auth-other=1; xmirage-ecs-auth=2", "mirage-ecs-auth-other=1; xmirage-ecs-auth=2")]
    [InlineData("a=1;;b=2", "a=1; b=2")]
    public void Only_the_cookie_named_exactly_mirage_ecs_auth_is_removed(string header, string? expected)
    {
        Assert.Equal(expected, Mirage.Edge.Forwarding.MirageSecretFilter.WithoutAuthCookie([header]));
    }
}
