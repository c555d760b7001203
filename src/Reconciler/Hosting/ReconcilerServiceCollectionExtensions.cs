using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mirage.Model.Backend;
using Mirage.Model.Links;
using Mirage.Reconciler.Policies;
using Mirage.Reconciler.Queue;
using Mirage.Reconciler.Reconciling;
using Mirage.Reconciler.Routing;

namespace Mirage.Reconciler.Hosting;

public static class ReconcilerServiceCollectionExtensions
{
    /// <summary>
    /// The reconciler and what a pass uses (work queue, task listing, route book, policies; no DNS links unless a
    /// backend registers them). Needs an intent store, a backend, an access count reader, a RouteTablePublisher, the
    /// config and a TimeProvider. Call <see cref="AddMirageReconcilerLoop"/> after registering the backend.
    /// </summary>
    public static IServiceCollection AddMirageReconciler(this IServiceCollection services, Action<ReconcilerOptions> configure)
    {
        services.AddOptions<ReconcilerOptions>().Configure(configure).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new WorkQueue(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ObservedTasks>();
        services.AddSingleton<ITaskChangeSink>(sp => sp.GetRequiredService<ObservedTasks>());
        services.AddSingleton<RouteBook>();
        services.TryAddSingleton<IEnvironmentLinks, NoEnvironmentLinks>();
        services.AddSingleton<IdleProbe>();
        services.AddSingleton<LifecyclePolicies>();
        services.AddSingleton<EnvironmentReconciler>();
        services.AddMetrics();
        services.AddSingleton<ReconcilerMetrics>();
        services.AddSingleton<ReconcilerService>();
        return services;
    }

    /// <summary>
    /// Runs the reconcile loop. Register it after the backend: hosted services stop in reverse order, and a pass must
    /// not run against a backend that is shutting down.
    /// </summary>
    public static IServiceCollection AddMirageReconcilerLoop(this IServiceCollection services) =>
        services.AddHostedService(sp => sp.GetRequiredService<ReconcilerService>());
}
