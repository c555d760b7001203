using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Mirage.Edge.Auth;
using Mirage.Edge.Dispatch;
using Mirage.Edge.Forwarding;
using Mirage.Edge.Metrics;
using Mirage.Edge.Waking;
using Mirage.Model.Intents;
using Mirage.Model.Configuration;
using Mirage.Model.Metrics;
using Mirage.Model.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Mirage.Edge.Hosting;

public static class EdgeServiceCollectionExtensions
{
    public const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// Registers the Edge: YARP's forwarder, the shared upstream client, host dispatch, the auth cookie (also used
    /// by the API to issue it), access counters, and — unless registered before — the <see cref="RouteTablePublisher"/>,
    /// <see cref="TimeProvider"/> and a local <see cref="IAccessCountReader"/>.
    /// </summary>
    public static IServiceCollection AddMirageEdge(this IServiceCollection services, MirageConfig config,
        Action<EdgeOptions>? configure = null)
    {
        var options = new EdgeOptions();
        configure?.Invoke(options);

        services.AddHttpForwarder();
        // With this category enabled at any level, ASP.NET Core's hosting layer starts an Activity and a log scope for
        // every request, proxied ones included (about 16 % of what a proxied request allocated, docs/performance.md).
        // Mirage shows neither (no scopes in its console output, no span for a proxied request: its spans start behind
        // the Edge's dispatch, docs/operations.md); what this category would log is
        // per-request lines (already filtered out) and start-up failures, which still end the process with the error.
        services.AddLogging(logging => logging.AddFilter(HostingDiagnosticsCategory, LogLevel.None));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RouteTablePublisher>();
        services.TryAddSingleton(config);
        services.AddSingleton(options);
        services.AddSingleton(new EdgeListeners(config));
        services.AddSingleton<AuthCookie>();
        services.AddSingleton<AuthCookieGate>();
        services.AddSingleton<AccessCounters>();
        services.AddMetrics();
        services.AddSingleton<EdgeMetrics>();
        services.AddHostedService<AccessCountFlusher>();
        services.TryAddSingleton<IAccessCountReader, LocalAccessCountReader>();
        // The chart reads this process's own counters in AWS mode too: CloudWatch holds minutes, not a cheap day of hours.
        services.TryAddSingleton<IAccessHistoryReader, LocalAccessCountReader>();
        services.AddSingleton<DestinationSelector>();
        services.TryAddSingleton<IWakingPage, BuiltInWakingPage>();
        // The intent store is the composition's (the API's); an Edge built without one answers a sleeping host 503.
        services.AddSingleton(sp => new SleepingHostWaker(
            sp.GetRequiredService<RouteTablePublisher>(),
            sp.GetService<IIntentStore>(),
            sp.GetRequiredService<IWakingPage>(),
            config,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SleepingHostWaker>>()));
        services.AddSingleton<MirageSecretFilter>();
        services.AddSingleton<EdgeTransformer>();
        services.AddSingleton(sp => new EdgeForwarder(
            sp.GetRequiredService<IHttpForwarder>(),
            UpstreamInvoker.Create(options, headerTimeout: config.Network.ProxyTimeout > TimeSpan.Zero),
            sp.GetRequiredService<DestinationSelector>(),
            sp.GetRequiredService<EdgeTransformer>(),
            config,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<EdgeMetrics>(),
            sp.GetRequiredService<ILogger<EdgeForwarder>>()));
        return services;
    }
}
