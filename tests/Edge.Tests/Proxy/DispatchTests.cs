using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Mirage.Edge.Tests.Support;

namespace Mirage.Edge.Tests.Proxy;

public sealed class DispatchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Webapi_host_reaches_the_api_pipeline_and_other_hosts_get_health_or_404()
    {
        await using var edge = await EdgeServer.StartAsync();
        using var client = EdgeClient.Create();

        Assert.Equal((HttpStatusCode.OK, "api"), await EdgeClient.GetAsync(client, edge.Port, "MIRAGE.dev.test:80", "/api/ping"));
        Assert.Equal((HttpStatusCode.OK, "mirage-ecs\n"), await EdgeClient.GetAsync(client, edge.Port, "10.0.0.1", "/api/ping"));
        Assert.Equal((HttpStatusCode.OK, "mirage-ecs\n"), await EdgeClient.GetAsync(client, edge.Port, "dev.test", "/"));
        Assert.Equal((HttpStatusCode.NotFound, "nothing.dev.test is not found\n"), await EdgeClient.GetAsync(client, edge.Port, "Nothing.dev.test:8080", "/"));

        using var request = EdgeClient.Request(HttpMethod.Get, edge.Port, "nothing.dev.test");
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task A_mixed_cleartext_listener_serves_http11()
    {
        await using var backend = await LoopbackBackend.StartAsync("b");
        await using var edge = await EdgeServer.StartAsync(protocols: HttpProtocols.Http1AndHttp2);
        using var client = EdgeClient.Create();
        edge.Routes.Publish([RouteFactory.To("app", 1, 80, backend.Port)]);

        Assert.Equal((HttpStatusCode.OK, "b"), await EdgeClient.GetAsync(client, edge.Port, "app.dev.test"));
    }

    [Fact]
    public async Task Odd_hosts_get_a_4xx_or_the_health_answer_never_a_500()
    {
        await using var edge = await EdgeServer.StartAsync();
        string[] requests =
        [
            "GET / HTTP/1.0\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: [::1]:80\r\nConnection: close\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a b.dev.test\r\nConnection: close\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x.dev.test\r\nHost: y.dev.test\r\nConnection: close\r\n\r\n",
            $"GET / HTTP/1.1\r\nHost: {new string('a', 64)}.dev.test\r\nConnection: close\r\n\r\n",
            $"GET / HTTP/1.1\r\nHost: {string.Join('.', Enumerable.Repeat(new string('b', 60), 40))}.dev.test\r\nConnection: close\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: *.dev.test\r\nConnection: close\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: \u00e9.dev.test\r\nConnection: close\r\n\r\n",
        ];

        foreach (var raw in requests)
        {
            var status = await RawStatusAsync(edge.Port, raw);
            Assert.True(status is 200 or (>= 400 and < 500), $"{status} for {raw[..Math.Min(raw.Length, 60)]}");
        }
        Assert.Equal(200, await RawStatusAsync(edge.Port, requests[0]));
        Assert.Equal(200, await RawStatusAsync(edge.Port, requests[2]));
    }

    [Fact]
    public async Task Exact_routes_win_then_patterns_by_launch_time()
    {
        await using var exact = await LoopbackBackend.StartAsync("exact");
        await using var fooStar = await LoopbackBackend.StartAsync("foo-*");
        await using var fooBarStar = await LoopbackBackend.StartAsync("foo-bar-*");
        await using var starBaz = await LoopbackBackend.StartAsync("*-baz");
        await using var edge = await EdgeServer.StartAsync();
        using var client = EdgeClient.Create();

        edge.Routes.Publish(
        [
            RouteFactory.To("*-baz", 3, 80, starBaz.Port),
            RouteFactory.To("foo-bar-*", 2, 80, fooBarStar.Port),
            RouteFactory.To("foo-*", 1, 80, fooStar.Port),
            RouteFactory.To("foo-bar-baz", 9, 80, exact.Port),
        ]);

        Assert.Equal("exact", (await EdgeClient.GetAsync(client, edge.Port, "foo-bar-baz.dev.test")).Body);
        Assert.Equal("foo-*", (await EdgeClient.GetAsync(client, edge.Port, "foo-bar-qux.dev.test")).Body);
        Assert.Equal("*-baz", (await EdgeClient.GetAsync(client, edge.Port, "x-baz.dev.test")).Body);

        edge.Routes.Publish(
        [
            RouteFactory.To("*-baz", 3, 80, starBaz.Port),
            RouteFactory.To("foo-bar-*", 2, 80, fooBarStar.Port),
            RouteFactory.To("foo-*", 1, 80, fooStar.Port),
        ]);
        Assert.Equal("foo-*", (await EdgeClient.GetAsync(client, edge.Port, "foo-bar-baz.dev.test")).Body);

        edge.Routes.Publish(
        [
            RouteFactory.To("*-baz", 3, 80, starBaz.Port),
            RouteFactory.To("foo-bar-*", 2, 80, fooBarStar.Port),
        ]);
        Assert.Equal("foo-bar-*", (await EdgeClient.GetAsync(client, edge.Port, "foo-bar-baz.dev.test")).Body);
        Assert.Equal((HttpStatusCode.NotFound, "foo-qux.dev.test is not found\n"), await EdgeClient.GetAsync(client, edge.Port, "foo-qux.dev.test"));
    }

    [Fact]
    public async Task Each_listen_port_forwards_to_its_own_target_port()
    {
        await using var web = await LoopbackBackend.StartAsync("web");
        await using var admin = await LoopbackBackend.StartAsync("admin");
        await using var edge = await EdgeServer.StartAsync(listen: [(80, false), (8080, false)]);
        using var client = EdgeClient.Create();
        edge.Routes.Publish([RouteFactory.To("app", 1, (80, [web.Port]), (8080, [admin.Port]))]);
        var ports = edge.Config.Listen.Http.Select(l => l.Listen).ToArray();

        Assert.Equal("web", (await EdgeClient.GetAsync(client, ports[0], "app.dev.test")).Body);
        Assert.Equal("admin", (await EdgeClient.GetAsync(client, ports[1], "app.dev.test")).Body);

        // A route without the listener's target port has nothing to serve there.
        edge.Routes.Publish([RouteFactory.To("app", 1, 80, web.Port)]);
        Assert.Equal((HttpStatusCode.NotFound, "app.dev.test is not found\n"), await EdgeClient.GetAsync(client, ports[1], "app.dev.test"));
    }

    [Fact]
    public async Task Any_target_port_falls_back_to_the_lowest_port()
    {
        await using var low = await LoopbackBackend.StartAsync("low");
        await using var high = await LoopbackBackend.StartAsync("high");
        await using var edge = await EdgeServer.StartAsync(listen: [(80, false)], configure: o => o.AnyTargetPort = true);
        using var client = EdgeClient.Create();
        edge.Routes.Publish([RouteFactory.To("app", 1, (9000, [high.Port]), (3000, [low.Port]))]);

        Assert.Equal("low", (await EdgeClient.GetAsync(client, edge.Port, "app.dev.test")).Body);
    }

    [Fact]
    public async Task Host_is_preserved_forwarded_headers_set_from_the_peer_and_hop_by_hop_headers_dropped()
    {
        await using var backend = await LoopbackBackend.StartAsync("b");
        await using var edge = await EdgeServer.StartAsync();
        using var client = EdgeClient.Create();
        edge.Routes.Publish([RouteFactory.To("app", 1, 80, backend.Port)]);

        using var request = EdgeClient.Request(HttpMethod.Get, edge.Port, "App.dev.test:1234", "/headers");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "bank.example.com");
        request.Headers.TryAddWithoutValidation("Connection", "X-Hop");
        request.Headers.TryAddWithoutValidation("X-Hop", "secret");
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic eDp5");
        request.Headers.TryAddWithoutValidation("Cookie", "mirage-ecs-auth=abc; other=1");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer t");
        using var response = await client.SendAsync(request, Ct);
        var headers = ParseHeaders(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("App.dev.test:1234", headers["Host"]);
        // Loopback is not a trusted proxy by default: the client's own claims are replaced with what the Edge saw.
        Assert.Equal("127.0.0.1", headers["X-Forwarded-For"]);
        Assert.Equal("http", headers["X-Forwarded-Proto"]);
        Assert.Equal("App.dev.test:1234", headers["X-Forwarded-Host"]);
        Assert.Equal("other=1", headers["Cookie"]);
        Assert.Equal("Bearer t", headers["Authorization"]);
        Assert.False(headers.ContainsKey("X-Hop"));
        Assert.False(headers.ContainsKey("Keep-Alive"));
        Assert.False(headers.ContainsKey("Proxy-Authorization"));
        Assert.Equal("b", response.Headers.GetValues("X-Backend").Single());
    }

    [Fact]
    public async Task A_trusted_proxy_keeps_its_scheme_and_host_and_the_peer_is_appended_to_x_forwarded_for()
    {
        await using var backend = await LoopbackBackend.StartAsync("b");
        await using var edge = await EdgeServer.StartAsync(trustedProxies: [System.Net.IPNetwork.Parse("127.0.0.0/8")]);
        using var client = EdgeClient.Create();
        edge.Routes.Publish([RouteFactory.To("app", 1, 80, backend.Port)]);

        using var behindAlb = EdgeClient.Request(HttpMethod.Get, edge.Port, "app.dev.test", "/headers");
        behindAlb.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        behindAlb.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        behindAlb.Headers.TryAddWithoutValidation("X-Forwarded-Host", "app.dev.example.net");
        using var response = await client.SendAsync(behindAlb, Ct);
        var headers = ParseHeaders(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal("203.0.113.9, 127.0.0.1", headers["X-Forwarded-For"]);
        Assert.Equal("https", headers["X-Forwarded-Proto"]);
        Assert.Equal("app.dev.example.net", headers["X-Forwarded-Host"]);
    }

    [Fact]
    public async Task Http2_clients_are_proxied_with_prior_knowledge()
    {
        await using var backend = await LoopbackBackend.StartAsync("b");
        // Kestrel 10 has no h2c prior knowledge on a mixed cleartext endpoint, so this listener speaks HTTP/2 only.
        await using var edge = await EdgeServer.StartAsync(protocols: HttpProtocols.Http2);
        using var client = EdgeClient.Create(HttpVersion.Version20);
        edge.Routes.Publish([RouteFactory.To("app", 1, 80, backend.Port)]);

        using var request = EdgeClient.Request(HttpMethod.Get, edge.Port, "app.dev.test", "/headers", HttpVersion.Version20);
        using var response = await client.SendAsync(request, Ct);
        var headers = ParseHeaders(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("app.dev.test", headers["Host"]);
        Assert.Equal((HttpStatusCode.OK, "api"), await EdgeClient.GetAsync(client, edge.Port, EdgeServer.WebApiHost, "/api/ping"));
    }

    internal static Dictionary<string, string> ParseHeaders(string body) =>
        body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(": ", 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.OrdinalIgnoreCase);

    private static async Task<int> RawStatusAsync(int port, string request)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, port, Ct);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request), Ct);
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer, Ct);
        var statusLine = Encoding.Latin1.GetString(buffer, 0, read).Split("\r\n")[0];
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
