using System.Net;
using Microsoft.Extensions.Time.Testing;
using Mirage.Edge.Auth;
using Mirage.Edge.Tests.Support;
using Mirage.Model.Configuration;
using Mirage.TestKit;

namespace Mirage.Edge.Tests.Proxy;

public sealed class AuthCookieProxyTests
{
    private const string Secret = "s3cret-for-tests";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Only_ports_that_require_it_check_the_cookie()
    {
        await using var backend = await LoopbackBackend.StartAsync("b");
        await using var edge = await EdgeServer.StartAsync(listen: [(80, true), (8080, false)], cookieSecret: Secret);
        using var client = EdgeClient.Create();
        edge.Routes.Publish([RouteFactory.To("app", 1, (80, [backend.Port]), (8080, [backend.Port]))]);
        var guarded = edge.Config.Listen.Http[0].Listen;
        var open = edge.Config.Listen.Http[1].Listen;
        var valid = edge.Service<AuthCookie>().Issue().Value;
        var otherSecret = new AuthCookie(new MirageConfig { Auth = new AuthConfig { CookieSecret = "other" } }, TimeProvider.System).Issue().Value;
        var expired = new AuthCookie(new MirageConfig { Auth = new AuthConfig { CookieSecret = Secret } },
            new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(0).AddYears(40))).Issue().Value;

        Assert.Equal((HttpStatusCode.OK, "b"), await SendAsync(client, guarded, HttpMethod.Get, valid));
        Assert.Equal((HttpStatusCode.Forbidden, "Forbidden\n"), await SendAsync(client, guarded, HttpMethod.Get, cookie: null));
        Assert.Equal((HttpStatusCode.Forbidden, "Forbidden\n"), await SendAsync(client, guarded, HttpMethod.Get, valid[..^3] + "abc"));
        Assert.Equal((HttpStatusCode.Forbidden, "Forbidden\n"), await SendAsync(client, guarded, HttpMethod.Get, otherSecret));
        Assert.Equal((HttpStatusCode.Forbidden, "Forbidden\n"), await SendAsync(client, guarded, HttpMethod.Get, expired));
        Assert.Equal((HttpStatusCode.Forbidden, "Forbidden\n"), await SendAsync(client, guarded, HttpMethod.Post, cookie: null));
        // CORS preflights pass without the cookie.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, guarded, HttpMethod.Options, cookie: null, path: "/headers")).Status);
        Assert.Equal((HttpStatusCode.OK, "b"), await SendAsync(client, open, HttpMethod.Get, cookie: null));

        // Only the three requests past the gate count (mirage-ecs counts refused ones too); no cookie value reaches the logs.
        Assert.Equal(3, edge.Counters.GetRecent("app", TimeSpan.FromMinutes(5)));
        Assert.DoesNotContain(edge.Logs.Lines, l => l.Contains(valid[..20], StringComparison.Ordinal) || l.Contains(otherSecret[^20..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Websocket_upgrades_need_the_cookie_too()
    {
        await using var backend = await LoopbackBackend.StartAsync("b");
        await using var edge = await EdgeServer.StartAsync(listen: [(80, true)], cookieSecret: Secret);
        edge.Routes.Publish([RouteFactory.To("ws", 1, 80, backend.Port)]);

        using var invoker = new HttpMessageInvoker(new HostRewritingHandler("ws.dev.test", new SocketsHttpHandler()));
        using var refused = new System.Net.WebSockets.ClientWebSocket();
        var error = await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(
            () => refused.ConnectAsync(new Uri($"ws://127.0.0.1:{edge.Port}/ws"), invoker, Ct));
        Assert.Contains("403", error.Message, StringComparison.Ordinal);

        using var allowed = new System.Net.WebSockets.ClientWebSocket();
        allowed.Options.SetRequestHeader("Cookie", $"{AuthCookie.Name}={edge.Service<AuthCookie>().Issue().Value}");
        await allowed.ConnectAsync(new Uri($"ws://127.0.0.1:{edge.Port}/ws"), invoker, Ct);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, allowed.State);
        await allowed.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", Ct);
    }

    [Fact]
    public async Task Without_a_cookie_secret_a_guarded_port_refuses_everything_and_says_why_once()
    {
        await using var backend = await LoopbackBackend.StartAsync("b");
        await using var edge = await EdgeServer.StartAsync(listen: [(80, true)], cookieSecret: null);
        using var client = EdgeClient.Create();
        edge.Routes.Publish([RouteFactory.To("app", 1, 80, backend.Port)]);
        var forged = new AuthCookie(new MirageConfig { Auth = new AuthConfig { CookieSecret = "x" } }, TimeProvider.System).Issue().Value;

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal((HttpStatusCode.Forbidden, "Forbidden\n"), await SendAsync(client, edge.Port, HttpMethod.Get, forged));
        }
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, edge.Port, HttpMethod.Options, cookie: null, path: "/headers")).Status);
        Assert.Single(edge.Logs.Lines, l => l.Contains("auth.cookie_secret is not set", StringComparison.Ordinal));
        // Only the OPTIONS request reached the backend.
        Assert.Equal(1, backend.Requests);
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, int port, HttpMethod method, string? cookie, string path = "/")
    {
        using var request = EdgeClient.Request(method, port, "app.dev.test", path);
        if (cookie is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", $"theme=dark; {AuthCookie.Name}={cookie}");
        }
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("x");
        }
        using var response = await client.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }
}
