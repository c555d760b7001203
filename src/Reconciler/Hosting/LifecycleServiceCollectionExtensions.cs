using Microsoft.Extensions.DependencyInjection;
using Mirage.Model.GitOps;
using Mirage.Model.Parameters;
using Mirage.Reconciler.GitOps;
using Mirage.Reconciler.Purge;

namespace Mirage.Reconciler.Hosting;

public static class LifecycleServiceCollectionExtensions
{
    /// <summary>
    /// The desired-environments file and purge (<c>/api/purge</c>, and the schedule), both idle unless configured.
    /// Needs the reconciler (<see cref="ReconcilerServiceCollectionExtensions.AddMirageReconciler"/>), a
    /// <see cref="LaunchParameterResolver"/>, an intent store and the access counts.
    /// </summary>
    public static IServiceCollection AddMirageLifecycle(this IServiceCollection services)
    {
        services.AddSingleton(sp => new DesiredEnvironmentsParser(sp.GetRequiredService<LaunchParameterResolver>()));
        services.AddSingleton<GitOpsState>();
        services.AddSingleton<GitOpsSynchronizer>();
        // Only the leader applies the file and runs the schedule; /api/purge works on every replica (it records intents).
        services.AddSingleton<GitOpsService>();
        services.AddLeaderOnlyHostedService(sp => sp.GetRequiredService<GitOpsService>());
        services.AddSingleton<PurgeService>();
        services.AddSingleton<ScheduledPurgeService>();
        services.AddLeaderOnlyHostedService(sp => sp.GetRequiredService<ScheduledPurgeService>());
        return services;
    }
}
