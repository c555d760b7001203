using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Mirage.TestKit;

namespace Mirage.Api.Tests.Telemetry.Otlp;

/// <summary>
/// A loopback OTLP/HTTP receiver (real Kestrel): keeps the protobuf bodies POSTed to <c>/v1/traces</c> and
/// <c>/v1/metrics</c>, and answers each with an empty export response, as a collector does.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<byte[]> _traces = new();
    private readonly ConcurrentQueue<byte[]> _metrics = new();

    private OtlpReceiver(WebApplication app, int port)
    {
        _app = app;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Endpoint { get; }

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<OtlpSpan> Spans => [.. _traces.SelectMany(OtlpWire.ReadSpans)];

    /// <summary>The names of the metrics received so far.</summary>
    public IReadOnlySet<string> MetricNames => _metrics.SelectMany(OtlpWire.ReadMetricNames).ToHashSet(StringComparer.Ordinal);

    public static async Task<OtlpReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, port);
        app.MapPost("/v1/traces", context => receiver.KeepAsync(context, receiver._traces));
        app.MapPost("/v1/metrics", context => receiver.KeepAsync(context, receiver._metrics));
        await app.StartAsync(cancellationToken);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task KeepAsync(HttpContext context, ConcurrentQueue<byte[]> into)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        into.Enqueue(body.ToArray());
        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
