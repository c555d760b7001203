using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Mirage.Model.Backend;
using Mirage.Model.Leadership;
using Mirage.Model.Links;
using Mirage.Reconciler.Leadership;
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
        // Two resyncs old: never on the leader, whose resync lists; on a follower, when /api/list or a purge asks.
        services.AddSingleton(sp => new ObservedTasks(sp.GetRequiredService<IEcsBackend>(), sp.GetRequiredService<TimeProvider>())
        {
            MaxAge = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReconcilerOptions>>().Value.ResyncInterval * 2,
        });
        services.AddSingleton<ITaskChangeSink>(sp => sp.GetRequiredService<ObservedTasks>());
        services.AddSingleton<RouteBook>();
        services.TryAddSingleton<IEnvironmentLinks, NoEnvironmentLinks>();
        services.AddSingleton<IdleProbe>();
        services.AddSingleton<LifecyclePolicies>();
        services.AddSingleton<EnvironmentStates>();
        // Given to EnvironmentReconciler (an optional parameter): the passes record each state, the lifecycle gauge reads it.
        services.AddSingleton<EnvironmentReconciler>();
        services.AddMetrics();
        services.AddSingleton<ReconcilerMetrics>();
        services.AddSingleton<ReconcilerService>();
        // One replica that always leads, unless a lease was registered (AddMirageLeaseElection).
        services.TryAddSingleton(_ => ReplicaIdentity.ForThisProcess(0));
        services.TryAddSingleton<ILeadership>(sp => new SingleReplicaLeadership(
            sp.GetRequiredService<ReplicaIdentity>().Id, sp.GetRequiredService<ReplicaIdentity>().Address, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Leader election over the registered <see cref="ILeaseStore"/>: replaces the single replica's "always leader".
    /// Call it before <see cref="AddMirageReconcilerLoop"/>, so the election starts before and stops after the
    /// leader-only services (a graceful stop ends them, then gives the lease up).
    /// </summary>
    public static IServiceCollection AddMirageLeaseElection(this IServiceCollection services, ReplicaIdentity identity, LeaseOptions options)
    {
        services.Replace(ServiceDescriptor.Singleton(identity));
        services.AddSingleton(sp => new LeaseElection(
            sp.GetRequiredService<ILeaseStore>(), identity, options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<LeaseElection>>()));
        services.Replace(ServiceDescriptor.Singleton<ILeadership>(sp => sp.GetRequiredService<LeaseElection>()));
        services.AddHostedService(sp => sp.GetRequiredService<LeaseElection>());
        return services;
    }

    /// <summary>
    /// Runs <paramref name="service"/> only while this replica leads (<see cref="LeaderOnlyServices"/> starts and
    /// stops it with the leader-only services registered before it).
    /// </summary>
    public static IServiceCollection AddLeaderOnlyHostedService<T>(this IServiceCollection services, Func<IServiceProvider, T> service)
        where T : IHostedService
    {
        services.AddSingleton(sp => new LeaderOnlyService(service(sp)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LeaderOnlyServices>());
        return services;
    }

    /// <summary>
    /// Runs the reconcile loop while this replica leads. Register it after the backend: hosted services stop in
    /// reverse order, and a pass must not run against a backend that is shutting down.
    /// </summary>
    public static IServiceCollection AddMirageReconcilerLoop(this IServiceCollection services) =>
        services.AddLeaderOnlyHostedService(sp => sp.GetRequiredService<ReconcilerService>());
}
