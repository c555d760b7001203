using System.Net;
using System.Net.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mirage.Edge.Hosting;
using Mirage.Edge.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Mirage.Model.Configuration;
using Mirage.Model.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Mirage.Edge.Bench;

/// <summary>
/// The two .NET proxies, each run in a child process of its own (<c>serve yarp|edge</c>) so /proc charges each one
/// only its own CPU: a bare YARP forwarder and Mirage's Edge.
/// </summary>
public static class BenchServers
{
    public const string Suffix = ".bench.test";
    public const string TargetHost = "target-bench" + Suffix;
    public const string WebApiHost = "mirage" + Suffix;

    /// <summary>
    /// The floor for the Edge: <c>CreateSlimBuilder</c>, no logging, one <see cref="IHttpForwarder.SendAsync(HttpContext, string, HttpMessageInvoker, ForwarderRequestConfig, HttpTransformer)"/>
    /// per request with YARP's default transformer and the client YARP's documentation shows for direct forwarding.
    /// </summary>
    public static async Task RunBareYarpAsync(int port, int upstreamPort, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http1));
        builder.Services.AddHttpForwarder();
        await using var app = builder.Build();
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            ActivityHeadersPropagator = null,
        });
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        var prefix = $"http://127.0.0.1:{upstreamPort}";
        app.Run(async context => await forwarder.SendAsync(context, prefix, invoker, ForwarderRequestConfig.Empty, HttpTransformer.Default));
        await app.StartAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
    }

    /// <summary>
    /// The Edge composed as <c>mirage</c> composes it (MirageServer): HTTP/1.1 listeners from <c>listen.http</c>,
    /// <c>AddMirageEdge</c>, <c>UseMirageEdge</c>, and the server's console logging at Information with its filters.
    /// The reconciler is left out: the bench publishes <paramref name="routes"/> routes itself. With
    /// <paramref name="telemetry"/>, OpenTelemetry as <c>mirage</c> wires it (TelemetrySetup): the Edge's meter with the
    /// Prometheus exporter at <c>/metrics</c> on the web API host, and a tracer provider listening to Mirage's sources.
    /// </summary>
    public static async Task RunEdgeAsync(int port, int upstreamPort, int routes, bool inlineScheduling, bool telemetry, CancellationToken cancellationToken)
    {
        var config = new MirageConfig
        {
            Host = new HostConfig { WebApi = WebApiHost, ReverseProxySuffix = Suffix },
            Listen = new ListenConfig { ForeignAddress = "127.0.0.1", Http = [new ListenPort(port, 80)] },
        };
        var builder = WebApplication.CreateSlimBuilder();
        // As MirageServer.ConfigureLogging: console at Information, ASP.NET Core, HttpClient and YARP at Warning.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEdgeListeners(config, HttpProtocols.Http1));
        if (inlineScheduling)
        {
            builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        }
        builder.Services.AddMirageEdge(config);
        if (telemetry)
        {
            builder.Services.AddOpenTelemetry()
                .WithMetrics(metrics => metrics.AddMeter(EdgeMetrics.MeterName).AddPrometheusExporter()
                    .AddInstrumentation(sp => sp.GetRequiredService<EdgeMetrics>()))
                .WithTracing(tracing => tracing.AddSource("Mirage.*"));
        }
        await using var app = builder.Build();
        app.UseMirageEdge();
        if (telemetry)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint("/metrics");
        }
        PublishRoutes(app.Services.GetRequiredService<RouteTablePublisher>(), routes, upstreamPort);
        await app.StartAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
    }

    /// <summary>
    /// <paramref name="count"/> routes, half exact and half patterns; <see cref="TargetHost"/> is served by the pattern
    /// launched last, so each request goes through the exact lookup and the per-host pattern cache.
    /// </summary>
    public static void PublishRoutes(RouteTablePublisher publisher, int count, int backendPort)
    {
        var epoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var destinations = new Dictionary<int, IReadOnlyList<RouteDestination>> { [80] = [new RouteDestination("127.0.0.1", backendPort)] };
        var routes = new List<Route>(count);
        var patterns = count / 2;
        for (var i = 0; i < count - patterns - 1; i++)
        {
            routes.Add(new Route($"exact{i}", epoch.AddSeconds(i), $"task-e{i}", destinations));
        }
        for (var i = 0; i < patterns; i++)
        {
            routes.Add(new Route($"pat{i}-*", epoch.AddSeconds(i), $"task-p{i}", destinations));
        }
        routes.Add(new Route("target-*", epoch.AddDays(1), "task-target", destinations));
        publisher.Publish(routes);
    }
}
