using Microsoft.Extensions.Logging;
using Mirage.Model.Backend;
using Mirage.Model.Intents;
using Mirage.Model.Launch;
using Mirage.Model.Metrics;
using Mirage.Reconciler.Reconciling;

namespace Mirage.Reconciler.Purge;

/// <summary>
/// mirage-ecs's purge: terminate environments that have been up for the whole window and received no request in it.
/// It only records intents (the reconciler stops the tasks), runs one at a time, and never touches environments that
/// are pinned (<c>keep</c>) or owned by the GitOps file.
/// </summary>
public sealed partial class PurgeService(
    IIntentStore store,
    ObservedTasks observedTasks,
    IAccessCountReader accessCounts,
    TimeProvider time,
    ILogger<PurgeService> logger)
{
    private readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>The subdomains the request would terminate now, in order.</summary>
    public async Task<IReadOnlyList<string>> SelectAsync(PurgeRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var launchedBefore = Before(now, request.Duration);
        var observation = await observedTasks.GetAsync(cancellationToken);
        var candidates = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var task in observation.Running)
        {
            var subdomain = TaskTags.SubdomainOf(task);
            if (task.LastStatus != EcsTaskStatus.Running || subdomain.Length == 0 || request.Excludes.Contains(subdomain) ||
                request.ExcludeRegexp?.IsMatch(subdomain) == true ||
                task.Tags.Any(t => request.ExcludeTags.TryGetValue(t.Key, out var value) && value == t.Value) ||
                task.LaunchedAt > launchedBefore)
            {
                continue;
            }
            candidates.Add(subdomain);
        }

        var selected = new List<string>();
        foreach (var subdomain in candidates)
        {
            var intent = await store.GetAsync(subdomain, cancellationToken);
            if (intent is { Policy.Keep: true } or { Source: IntentSource.GitOps } or { Desired: DesiredState.Terminated })
            {
                continue;
            }
            // A young task of a multi-task environment keeps the whole environment.
            if (observation.RunningFor(subdomain).Any(t => t.LaunchedAt > launchedBefore))
            {
                continue;
            }
            if (await accessCounts.GetAccessCountAsync(subdomain, request.Duration, cancellationToken) == 0)
            {
                selected.Add(subdomain);
            }
        }
        return selected;
    }

    // The API and the config bound the window; a request built another way must still not throw on the subtraction.
    private static DateTimeOffset Before(DateTimeOffset now, TimeSpan window) =>
        window >= now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : now - window;

    /// <summary>Starts a purge in the background; false when one is already running (this one is dropped, as in mirage-ecs).</summary>
    public bool TryStart(PurgeRequest request, CancellationToken stopping)
    {
        if (!_running.Wait(0, CancellationToken.None))
        {
            LogSkipped();
            return false;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await RunAsync(request, stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
            finally
            {
                _running.Release();
            }
        }, CancellationToken.None);
        return true;
    }

    /// <summary>Runs a purge now and returns what it terminated (or, for a dry run, would terminate).</summary>
    public async Task<IReadOnlyList<string>> RunAsync(PurgeRequest request, CancellationToken cancellationToken)
    {
        var selected = await SelectAsync(request, cancellationToken);
        if (request.DryRun)
        {
            LogDryRun(selected.Count, string.Join(", ", selected));
            return selected;
        }
        foreach (var subdomain in selected)
        {
            var now = time.GetUtcNow();
            var cause = new EnvironmentEvent(now, CauseReasons.Purged, $"Purged: no request in {Model.Configuration.GoDuration.Format(request.Duration)}");
            await IntentUpdates.TerminateAsync(store, subdomain, now, cause, onlyRevision: null, cancellationToken);
            LogPurged(subdomain, request.Duration);
        }
        LogCompleted(selected.Count);
        return selected;
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "skip purge subdomains, another purge is running")]
    private partial void LogSkipped();

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "purge: terminating {Subdomain}, no access in {Duration}")]
    private partial void LogPurged(string subdomain, TimeSpan duration);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "purge {Count} subdomains completed")]
    private partial void LogCompleted(int count);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "purge dry run: {Count} subdomains would be terminated: {Subdomains}")]
    private partial void LogDryRun(int count, string subdomains);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Error, Message = "purge failed")]
    private partial void LogFailed(Exception exception);
}
