using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Mirage.Edge.Tests.Support;

namespace Mirage.Edge.Tests.Proxy;

public sealed class StreamingTests
{
    private const long HundredMegabytes = 100L * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Websocket_echo_works_and_counts_once()
    {
        await using var backend = await LoopbackBackend.StartAsync("b");
        await using var edge = await EdgeServer.StartAsync();
        edge.Routes.Publish([RouteFactory.To("ws-*", 1, 80, backend.Port)]);

        using var invoker = new HttpMessageInvoker(new HostRewritingHandler("ws-one.dev.test", new SocketsHttpHandler()));
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{edge.Port}/ws"), invoker, Ct);
        var buffer = new byte[1024];
        foreach (var message in new[] { "hello", "again", "third" })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, Ct);
            var result = await socket.ReceiveAsync(buffer, Ct);
            Assert.Equal($"b:{message}", Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Ct);

        Assert.Equal(1, edge.Counters.GetRecent("ws-*", TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task Websocket_over_http2_is_proxied_to_an_http11_upstream()
    {
        await using var backend = await LoopbackBackend.StartAsync("b");
        await using var edge = await EdgeServer.StartAsync(protocols: HttpProtocols.Http2);
        edge.Routes.Publish([RouteFactory.To("ws", 1, 80, backend.Port)]);

        using var invoker = new HttpMessageInvoker(new HostRewritingHandler("ws.dev.test", new SocketsHttpHandler()));
        using var socket = new ClientWebSocket();
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{edge.Port}/ws"), invoker, Ct);
        await socket.SendAsync(Encoding.UTF8.GetBytes("over h2"), WebSocketMessageType.Text, endOfMessage: true, Ct);
        var buffer = new byte[1024];
        var result = await socket.ReceiveAsync(buffer, Ct);

        Assert.Equal("b:over h2", Encoding.UTF8.GetString(buffer, 0, result.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Ct);
    }

    [Fact]
    public async Task Server_sent_events_arrive_before_the_stream_ends()
    {
        await using var backend = await LoopbackBackend.StartAsync("b");
        await using var edge = await EdgeServer.StartAsync(proxyTimeout: TimeSpan.FromSeconds(1));
        using var client = EdgeClient.Create();
        edge.Routes.Publish([RouteFactory.To("app", 1, 80, backend.Port)]);

        using var request = EdgeClient.Request(HttpMethod.Get, edge.Port, "app.dev.test", "/sse");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        // The backend holds the second event until the test has seen the first, so the first cannot be buffered.
        Assert.Equal("data: first", await reader.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal("", await reader.ReadLineAsync(Ct));
        backend.SseGate.SetResult();
        Assert.Equal("data: second", await reader.ReadLineAsync(Ct));
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_100_MB_body_passes_intact_both_ways_with_proxy_timeout_set()
    {
        await using var backend = await LoopbackBackend.StartAsync("b");
        await using var edge = await EdgeServer.StartAsync(proxyTimeout: TimeSpan.FromSeconds(1));
        using var client = EdgeClient.Create();
        edge.Routes.Publish([RouteFactory.To("big", 1, 80, backend.Port)]);
        var expected = TestBytes.Sha256Of(HundredMegabytes);

        using var upload = EdgeClient.Request(HttpMethod.Post, edge.Port, "big.dev.test", "/sha256");
        upload.Content = new RepeatingContent(HundredMegabytes);
        using var uploaded = await client.SendAsync(upload, Ct);
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        Assert.Equal($"{HundredMegabytes} {expected}", await uploaded.Content.ReadAsStringAsync(Ct));

        using var download = EdgeClient.Request(HttpMethod.Get, edge.Port, "big.dev.test", $"/bytes/{HundredMegabytes}");
        using var downloaded = await client.SendAsync(download, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, downloaded.StatusCode);
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        await using var body = await downloaded.Content.ReadAsStreamAsync(Ct);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, Ct)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            total += read;
        }
        Assert.Equal(HundredMegabytes, total);
        Assert.Equal(expected, Convert.ToHexString(sha.GetHashAndReset()));
    }

    [Fact]
    public async Task An_upload_slower_than_proxy_timeout_is_not_cut()
    {
        await using var backend = await LoopbackBackend.StartAsync("b");
        await using var edge = await EdgeServer.StartAsync(proxyTimeout: TimeSpan.FromMilliseconds(300));
        using var client = EdgeClient.Create();
        edge.Routes.Publish([RouteFactory.To("app", 1, 80, backend.Port)]);

        using var upload = EdgeClient.Request(HttpMethod.Post, edge.Port, "app.dev.test", "/sha256");
        upload.Content = new RepeatingContent(8 * 1024, chunk: 1024, pause: TimeSpan.FromMilliseconds(150));
        using var response = await client.SendAsync(upload, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("8192 ", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_body_slower_than_proxy_timeout_is_not_cut()
    {
        await using var backend = await LoopbackBackend.StartAsync("b");
        await using var edge = await EdgeServer.StartAsync(proxyTimeout: TimeSpan.FromMilliseconds(300));
        using var client = EdgeClient.Create();
        edge.Routes.Publish([RouteFactory.To("app", 1, 80, backend.Port)]);

        var (status, body) = await EdgeClient.GetAsync(client, edge.Port, "app.dev.test", "/slow-body/6/200");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(string.Concat(Enumerable.Range(0, 6).Select(i => $"piece {i}\n")), body);
    }

    [Fact]
    public async Task Headers_later_than_proxy_timeout_give_504()
    {
        await using var backend = await LoopbackBackend.StartAsync("b");
        await using var edge = await EdgeServer.StartAsync(proxyTimeout: TimeSpan.FromMilliseconds(500));
        using var client = EdgeClient.Create();
        edge.Routes.Publish([RouteFactory.To("slow-*", 1, 80, backend.Port)]);

        Assert.Equal((HttpStatusCode.GatewayTimeout, "slow-one upstream timeout\n"),
            await EdgeClient.GetAsync(client, edge.Port, "slow-one.dev.test", "/slow-headers/10000"));
        // Within the timeout the same endpoint answers.
        Assert.Equal((HttpStatusCode.OK, "late"), await EdgeClient.GetAsync(client, edge.Port, "slow-one.dev.test", "/slow-headers/10"));
        Assert.Contains(edge.Logs.Lines, l => l.Contains("no response headers from 127.0.0.1", StringComparison.Ordinal));
    }
}
