using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mirage.Model.Intents;
using Mirage.Model.Leadership;
using Mirage.Reconciler.Queue;
using Mirage.Reconciler.Routing;

namespace Mirage.Reconciler.Reconciling;

/// <summary>
/// Runs reconcile passes from the work queue: keys come from intent changes, from changes pushed into the task cache
/// (LocalEcs, the ECS events queue), from the periodic resync (one listing, then the environments that drifted), and
/// from timers the passes ask for. A failing key is retried with backoff while the others keep moving.
/// </summary>
public sealed partial class ReconcilerService(
    IIntentStore store,
    ObservedTasks observedTasks,
    RouteBook routes,
    EnvironmentReconciler reconciler,
    WorkQueue queue,
    IOptions<ReconcilerOptions> options,
    TimeProvider time,
    ILogger<ReconcilerService> logger,
    ReconcilerMetrics? metrics = null) : BackgroundService
{
    /// <summary>Queues a key now (the API does this after recording an intent).</summary>
    public void Enqueue(string subdomain) => queue.Add(subdomain);

    /// <summary>
    /// One resync: a full listing into the shared cache, then the keys of every environment whose intent or observed
    /// tasks differ from its status (all of them when <paramref name="everything"/>), and of every subdomain seen on a
    /// task without an intent. Returns how many keys it queued.
    /// </summary>
    public async Task<int> ResyncAsync(bool everything, CancellationToken cancellationToken)
    {
        var observation = await observedTasks.RefreshAsync(cancellationToken);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var intents = new HashSet<string>(StringComparer.Ordinal);
        foreach (var intent in await store.ListAsync(cancellationToken))
        {
            intents.Add(intent.Subdomain);
            if (everything || EnvironmentDrift.NeedsPass(
                    intent, await store.GetStatusAsync(intent.Subdomain, cancellationToken), observation.RunningFor(intent.Subdomain), routes.Has(intent.Subdomain)))
            {
                keys.Add(intent.Subdomain);
            }
        }
        keys.UnionWith(observation.Subdomains.Where(s => s.Length > 0 && !intents.Contains(s)));
        foreach (var key in keys)
        {
            queue.Add(key);
        }
        LogResynced(keys.Count, intents.Count);
        return keys.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        store.Changed += Enqueue;
        observedTasks.Changed += EnqueueTaskChange;
        try
        {
            // A new leader's intent cache can be up to a refresh behind what other replicas wrote: a pass on it would
            // take an environment launched elsewhere for unwanted and drop its route.
            await CatchUpAsync(stoppingToken);
            // After a handover the Edge serves the last leader's routes: keep them, and look at each one soon.
            foreach (var routed in routes.ContinueFromPublished())
            {
                queue.Add(routed);
            }
            var workers = Enumerable.Range(0, options.Value.Workers).Select(_ => WorkAsync(stoppingToken)).ToList();
            workers.Add(ResyncLoopAsync(stoppingToken));
            await Task.WhenAll(workers);
        }
        finally
        {
            store.Changed -= Enqueue;
            observedTasks.Changed -= EnqueueTaskChange;
        }
    }

    private async Task CatchUpAsync(CancellationToken stoppingToken)
    {
        try
        {
            await store.CatchUpAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The periodic refresh keeps trying; the passes run on the cache meanwhile, as before a handover.
            LogCatchUpFailed(e.Message);
        }
    }

    private void EnqueueTaskChange(string subdomain)
    {
        if (subdomain.Length > 0)
        {
            queue.Add(subdomain);
        }
    }

    // The first resync queues everything (timers a pass asked for died with the last process); later ones only drift.
    private async Task ResyncLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ResyncInterval, time);
        var everything = true;
        do
        {
            try
            {
                await ResyncAsync(everything, stoppingToken);
                everything = false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogResyncFailed(e);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await queue.TakeAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var started = time.GetTimestamp();
            try
            {
                var result = await reconciler.ReconcileAsync(key, stoppingToken);
                queue.Forget(key);
                metrics?.PassFinished(result.RequeueAfter is null ? "done" : "requeued", time.GetElapsedTime(started));
                if (result.RequeueAfter is { } delay)
                {
                    LogRequeued(key, delay, result.Reason);
                    queue.AddAfter(key, delay);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (LeadershipLostException) when (stoppingToken.IsCancellationRequested)
            {
                // The fence refused this replica's write and it stepped down (which cancelled the loop); the next
                // leader's resync looks at the key. A refusal by the store alone is a failed pass, retried below.
                return;
            }
            catch (Exception e)
            {
                metrics?.PassFinished("failed", time.GetElapsedTime(started));
                var delay = queue.AddRateLimited(key);
                LogPassFailed(key, queue.Failures(key), delay, e);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning, Message = "Reconciling {Subdomain} failed (attempt {Attempt}); retrying in {Delay}")]
    private partial void LogPassFailed(string subdomain, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Debug, Message = "{Subdomain}: looking again in {Delay} ({Reason})")]
    private partial void LogRequeued(string subdomain, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Debug, Message = "Resync queued {Queued} of {Environments} environments")]
    private partial void LogResynced(int queued, int environments);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "Could not bring the intents up to date before the first pass ({Error}); passes use the cached intents until the next refresh")]
    private partial void LogCatchUpFailed(string error);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Resync failed")]
    private partial void LogResyncFailed(Exception exception);
}
