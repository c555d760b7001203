using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mirage.Edge.Hosting;
using Mirage.Model.Configuration;
using Mirage.Model.Routing;

namespace Mirage.Edge.Bench;

/// <summary>The small loopback backend and the Edge in front of it, both real Kestrel servers.</summary>
public static class BenchServers
{
    public const string Suffix = ".bench.test";

    public static async Task<WebApplication> StartBackendAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var body = "hello world\n"u8.ToArray();
        app.Run(context =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
        });
        await app.StartAsync(cancellationToken);
        return app;
    }

    public static async Task<WebApplication> StartEdgeAsync(int port, CancellationToken cancellationToken)
    {
        var config = new MirageConfig
        {
            Host = new HostConfig { WebApi = "mirage" + Suffix, ReverseProxySuffix = Suffix },
            Listen = new ListenConfig { ForeignAddress = "127.0.0.1", Http = [new ListenPort(port, 80)] },
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEdgeListeners(config));
        builder.Services.AddMirageEdge(config);
        var app = builder.Build();
        app.UseMirageEdge();
        await app.StartAsync(cancellationToken);
        return app;
    }

    /// <summary>
    /// <paramref name="count"/> routes, half exact and half patterns; the benchmark host is served by the pattern
    /// launched last, so it goes through the exact lookup, a pattern scan and the per-host cache.
    /// </summary>
    public static void PublishRoutes(RouteTablePublisher publisher, int count, int backendPort, out string host)
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
        host = "target-bench" + Suffix;
    }
}
