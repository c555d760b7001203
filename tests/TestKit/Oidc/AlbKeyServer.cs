using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Mirage.TestKit.Oidc;

/// <summary>
/// A stand-in for the regional ALB key endpoint on 127.0.0.1: <c>GET /{kid}</c> answers the PEM public key
/// registered for that kid (404 otherwise), and counts requests per kid. A kid can be made to fail a number of
/// times with 503 first.
/// </summary>
public sealed class AlbKeyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new(StringComparer.Ordinal);

    private AlbKeyServer(WebApplication app, int port)
    {
        _app = app;
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri Endpoint { get; }

    /// <summary>Served answers take this long; lets concurrent callers pile up on one fetch.</summary>
    public TimeSpan Delay { get; set; }

    public static async Task<AlbKeyServer> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        var app = builder.Build();
        var server = new AlbKeyServer(app, port);
        app.MapGet("/{kid}", server.ServeAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return server;
    }

    public void Publish(string kid, string pem) => _keys[kid] = pem;

    public void FailNext(string kid, int times) => _failuresLeft[kid] = times;

    public int Hits(string kid) => _hits.GetValueOrDefault(kid);

    private async Task<IResult> ServeAsync(string kid, CancellationToken cancellationToken)
    {
        _hits.AddOrUpdate(kid, 1, (_, n) => n + 1);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, TimeProvider.System, cancellationToken);
        }
        var failed = false;
        _failuresLeft.AddOrUpdate(kid, 0, (_, left) =>
        {
            failed = left > 0;
            return Math.Max(0, left - 1);
        });
        if (failed)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        return _keys.TryGetValue(kid, out var pem) ? Results.Text(pem, "text/plain") : Results.NotFound();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
