using System.Net.WebSockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mirage.Edge.Tests.Support;

/// <summary>
/// A real Kestrel upstream on 127.0.0.1 with the endpoints the proxy tests need. Every response names the backend
/// so a test can tell which destination served it.
/// </summary>
public sealed class LoopbackBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackBackend(WebApplication app, string name, int port)
    {
        _app = app;
        Name = name;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>Released by the test to let <c>/sse</c> send its second event.</summary>
    public TaskCompletionSource SseGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Requests => _requests;

    private int _requests;

    public static async Task<LoopbackBackend> StartAsync(string name, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.Listen(System.Net.IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        LoopbackBackend? self = null;
        app.Use((context, next) =>
        {
            Interlocked.Increment(ref self!._requests);
            context.Response.Headers["X-Backend"] = name;
            return next(context);
        });
        app.UseWebSockets();
        MapEndpoints(app, name, () => self!);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        self = new LoopbackBackend(app, name, new Uri(address).Port);
        return self;
    }

    private static void MapEndpoints(WebApplication app, string name, Func<LoopbackBackend> self)
    {
        app.MapGet("/", () => name);

        // Echoes what arrived, one "Name: value" line per header, so tests can see exactly what the Edge sent.
        app.MapMethods("/headers", ["GET", "OPTIONS"], (HttpContext context) =>
            string.Join('\n', context.Request.Headers.Select(h => $"{h.Key}: {h.Value}")));

        app.MapPost("/sha256", async (HttpContext context) =>
        {
            context.Features.GetRequiredFeature<IHttpMaxRequestBodySizeFeature>().MaxRequestBodySize = null;
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                total += read;
            }
            return $"{total} {Convert.ToHexString(sha.GetHashAndReset())}";
        });

        app.MapGet("/bytes/{size:long}", async (long size, HttpContext context) =>
        {
            context.Response.ContentLength = size;
            var block = TestBytes.Block;
            for (long sent = 0; sent < size;)
            {
                var n = (int)Math.Min(block.Length, size - sent);
                await context.Response.Body.WriteAsync(block.AsMemory(0, n), context.RequestAborted);
                sent += n;
            }
        });

        app.MapGet("/slow-headers/{ms:int}", async (int ms, HttpContext context) =>
        {
            await Task.Delay(ms, context.RequestAborted);
            return "late";
        });

        // Headers at once, then the body in pieces, slower in total than the tests' proxy_timeout.
        app.MapGet("/slow-body/{pieces:int}/{ms:int}", async (int pieces, int ms, HttpContext context) =>
        {
            await context.Response.StartAsync(context.RequestAborted);
            for (var i = 0; i < pieces; i++)
            {
                await context.Response.WriteAsync($"piece {i}\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(ms, context.RequestAborted);
            }
        });

        app.MapGet("/sse", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: first\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await self().SseGate.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("data: second\n\n", context.RequestAborted);
        });

        app.Map("/ws", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                    return;
                }
                var reply = System.Text.Encoding.UTF8.GetBytes($"{name}:" + System.Text.Encoding.UTF8.GetString(buffer, 0, result.Count));
                await socket.SendAsync(reply, WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted);
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
