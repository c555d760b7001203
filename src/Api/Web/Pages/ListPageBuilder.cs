using Mirage.Api.MirageEcsApi;
using Mirage.Model.Backend;
using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;
using Mirage.Model.Metrics;
using Mirage.Reconciler.Reconciling;

namespace Mirage.Api.Web.Pages;

/// <summary>
/// Builds the list from intents, so an environment appears the moment it is asked for and shows Terminating until
/// the reconciler has cleaned it up; the observed tasks add ids and trace links.
/// </summary>
public sealed class ListPageBuilder(IIntentStore store, ObservedTasks observedTasks, TaskRows rows, IAccessHistoryReader accessHistory, TimeProvider time)
{
    public async Task<ListModel> BuildAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (observation, warning) = await ObserveAsync(observedTasks, now, cancellationToken);
        var list = new List<ListRow>();
        foreach (var intent in (await store.ListAsync(cancellationToken)).OrderBy(i => i.Subdomain, StringComparer.Ordinal))
        {
            var status = await store.GetStatusAsync(intent.Subdomain, cancellationToken);
            var tasks = observation.RunningFor(intent.Subdomain);
            list.Add(new ListRow
            {
                Subdomain = intent.Subdomain,
                Branch = intent.Branch,
                TaskDefinitions = intent.TaskDefinitions,
                State = StateOf(intent, status).ToString(),
                Message = MessageOf(intent, status),
                Started = TimeText.Display(intent.LaunchedAt ?? intent.CreatedAt),
                StartedIso = TimeText.Iso(intent.LaunchedAt ?? intent.CreatedAt),
                Url = rows.UrlOf(intent.Subdomain),
                DetailsUrl = DetailsUrl(intent.Subdomain),
                Tasks = [.. tasks.OrderBy(t => t.LaunchedAt).Select(ToListTask)],
                CanTerminate = intent.Desired == DesiredState.Running && intent.Source != IntentSource.GitOps,
                Source = intent.Source.ToString().ToLowerInvariant(),
                Sparkline = AccessChart.Sparkline(await accessHistory.GetHourlyAsync(intent.Subdomain, AccessChart.Hours, cancellationToken), now),
            });
        }
        // A terminated environment has left: it is listed apart until the reconciler forgets it.
        var terminated = list.Where(r => r.State == nameof(LifecycleState.Terminated)).ToList();
        var current = list.Where(r => r.State != nameof(LifecycleState.Terminated)).ToList();
        return new ListModel(current, terminated, current.Any(r => r.Busy), TimeText.Iso(now)) { Warning = warning };
    }

    /// <summary>
    /// The shared task cache; when its last listing failed (ECS throttling, an expired role), what Mirage saw last
    /// and a warning that says so, so the page still shows the environments.
    /// </summary>
    public static async Task<(TaskObservation Observation, string? Warning)> ObserveAsync(
        ObservedTasks observedTasks, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var observation = await observedTasks.GetAsync(cancellationToken);
            return (observation, observedTasks.ListingError is { } error ? Warning(error, observation) : null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var last = observedTasks.Last;
            return (last ?? new TaskObservation(now, [], []), Warning(e.Message, last));
        }
    }

    private static string Warning(string error, TaskObservation? last)
    {
        var seen = last is null ? "no tasks are shown" : $"tasks are as seen at {TimeText.Display(last.At)}";
        return $"Mirage could not list the tasks ({error}); {seen}.";
    }

    public static string DetailsUrl(string subdomain) => "/environments/" + Uri.EscapeDataString(subdomain);

    public static string TraceUrl(string shortId) => "/trace/" + Uri.EscapeDataString(shortId);

    /// <summary>What the UI calls the environment's state: the reconciler's, unless the intent has moved on since.</summary>
    public static LifecycleState StateOf(EnvironmentIntent intent, EnvironmentStatus? status)
    {
        if (intent.Desired == DesiredState.Terminated)
        {
            return status?.State == LifecycleState.Terminated ? LifecycleState.Terminated : LifecycleState.Terminating;
        }
        if (status is null || (status.ObservedRevision != intent.Revision && status.State is LifecycleState.Terminated or LifecycleState.Failed))
        {
            return LifecycleState.Pending;
        }
        return status.State;
    }

    public static string MessageOf(EnvironmentIntent intent, EnvironmentStatus? status)
    {
        if (intent.Desired == DesiredState.Terminated || status is null || status.ObservedRevision != intent.Revision)
        {
            return "";
        }
        var ready = status.Find(ConditionTypes.Ready);
        if (ready is not { Status: not ConditionStatus.True })
        {
            return "";
        }
        if (status.State != LifecycleState.Failed)
        {
            return ready.Message;
        }
        // "environment is failed" says little: the failure event and the last unexpected stop say why.
        var failed = status.Events.LastOrDefault(e => e.Reason == nameof(LifecycleState.Failed))?.Message ?? ready.Message;
        var lastStop = status.Events.LastOrDefault(e => e.Reason == "TaskStopped" && e.Message.Contains("unexpectedly", StringComparison.Ordinal))?.Message;
        return lastStop is null ? Sentence(failed) : $"{Sentence(failed)} {Sentence(lastStop)}";
    }

    private static string Sentence(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..] + (text.EndsWith('.') ? "" : ".");

    private static ListTask ToListTask(ObservedTask task) =>
        new(task.ShortId, task.ShortId.Length > 8 ? task.ShortId[..8] : task.ShortId, task.LastStatus, TraceUrl(task.ShortId));
}
