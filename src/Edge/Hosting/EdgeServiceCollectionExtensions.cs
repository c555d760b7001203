using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Mirage.Edge.Auth;
using Mirage.Edge.Dispatch;
using Mirage.Edge.Forwarding;
using Mirage.Edge.Metrics;
using Mirage.Model.Configuration;
using Mirage.Model.Metrics;
using Mirage.Model.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Mirage.Edge.Hosting;

public static class EdgeServiceCollectionExtensions
{
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
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RouteTablePublisher>();
        services.TryAddSingleton(config);
        services.AddSingleton(options);
        services.AddSingleton(new EdgeListeners(config));
        services.AddSingleton<AuthCookie>();
        services.AddSingleton<AuthCookieGate>();
        services.AddSingleton<AccessCounters>();
        services.AddHostedService<AccessCountFlusher>();
        services.TryAddSingleton<IAccessCountReader, LocalAccessCountReader>();
        // The chart reads this process's own counters in AWS mode too: CloudWatch holds minutes, not a cheap day of hours.
        services.TryAddSingleton<IAccessHistoryReader, LocalAccessCountReader>();
        services.AddSingleton<DestinationSelector>();
        services.AddSingleton<MirageSecretFilter>();
        services.AddSingleton<EdgeTransformer>();
        services.AddSingleton(sp => new EdgeForwarder(
            sp.GetRequiredService<IHttpForwarder>(),
            UpstreamInvoker.Create(options),
            sp.GetRequiredService<DestinationSelector>(),
            sp.GetRequiredService<EdgeTransformer>(),
            config,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<EdgeForwarder>>()));
        return services;
    }
}
