using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mirage.Model.Backend;
using Mirage.Model.Intents;
using Mirage.Reconciler.Queue;

namespace Mirage.Reconciler.Reconciling;

/// <summary>
/// Runs reconcile passes from the work queue: keys come from intent changes, from the periodic full resync (every
/// intent and every subdomain seen on a task), and from timers the passes ask for. A failing key is retried with
/// backoff while the others keep moving.
/// </summary>
public sealed partial class ReconcilerService(
    IIntentStore store,
    IEcsBackend backend,
    ObservedTasks observedTasks,
    EnvironmentReconciler reconciler,
    WorkQueue queue,
    IOptions<ReconcilerOptions> options,
    TimeProvider time,
    ILogger<ReconcilerService> logger) : BackgroundService
{
    /// <summary>Queues a key now (the API does this after recording an intent).</summary>
    public void Enqueue(string subdomain) => queue.Add(subdomain);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        store.Changed += Enqueue;
        var notifier = backend as ITaskChangeNotifier;
        if (notifier is not null)
        {
            notifier.TaskChanged += EnqueueTaskChange;
        }
        try
        {
            var workers = Enumerable.Range(0, options.Value.Workers).Select(_ => WorkAsync(stoppingToken)).ToList();
            workers.Add(ResyncAsync(stoppingToken));
            await Task.WhenAll(workers);
        }
        finally
        {
            store.Changed -= Enqueue;
            if (notifier is not null)
            {
                notifier.TaskChanged -= EnqueueTaskChange;
            }
        }
    }

    private void EnqueueTaskChange(string subdomain)
    {
        if (subdomain.Length > 0)
        {
            queue.Add(subdomain);
        }
    }

    private async Task ResyncAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ResyncInterval, time);
        do
        {
            try
            {
                var keys = new HashSet<string>(StringComparer.Ordinal);
                foreach (var intent in await store.ListAsync(stoppingToken))
                {
                    keys.Add(intent.Subdomain);
                }
                var observation = await observedTasks.GetAsync(time.GetUtcNow(), stoppingToken);
                keys.UnionWith(observation.Subdomains.Where(s => s.Length > 0));
                foreach (var key in keys)
                {
                    queue.Add(key);
                }
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
            try
            {
                var next = await reconciler.ReconcileAsync(key, stoppingToken);
                queue.Forget(key);
                if (next is { } delay)
                {
                    queue.AddAfter(key, delay);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
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

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Resync failed")]
    private partial void LogResyncFailed(Exception exception);
}
