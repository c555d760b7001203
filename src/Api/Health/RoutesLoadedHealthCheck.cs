using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mirage.Reconciler.Queue;
using Mirage.Reconciler.Reconciling;

namespace Mirage.Api.Health;

/// <summary>
/// Ready once the routes are loaded: the tasks were listed and the passes that listing queued (one per environment,
/// each publishing its route) have all run, i.e. the work queue was empty once since. A started Mirage that still
/// rebuilds its routes would answer 502 for environments that are running; it stays ready afterwards.
/// </summary>
public sealed class RoutesLoadedHealthCheck(ObservedTasks observedTasks, WorkQueue queue) : IHealthCheck
{
    private volatile bool _loaded;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_loaded)
        {
            if (observedTasks.Last is null)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("tasks not listed yet"));
            }
            if (queue.Count > 0)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"{queue.Count} environments still to reconcile"));
            }
            _loaded = true;
        }
        return Task.FromResult(HealthCheckResult.Healthy("routes loaded"));
    }
}
