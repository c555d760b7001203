using System.Globalization;
using Mirage.Api.MirageEcsApi;
using Mirage.Model.Backend;
using Mirage.Model.Intents;
using Mirage.Model.Metrics;
using Mirage.Model.Subdomains;
using Mirage.Reconciler.Reconciling;

namespace Mirage.Api.Web.Pages;

/// <summary>Builds one environment's page from its intent, status, observed tasks and access counts.</summary>
public sealed class EnvironmentPageBuilder(
    IIntentStore store, ObservedTasks observedTasks, IAccessCountReader accessCounts, IAccessHistoryReader accessHistory, TaskRows rows, TimeProvider time)
{
    public static readonly TimeSpan AccessWindow = TimeSpan.FromHours(24);

    /// <summary>The span "hours slept this week" covers: the last 7 days.</summary>
    public static readonly TimeSpan SleptWindow = TimeSpan.FromDays(7);

    /// <summary>The page model, or null when no such environment is recorded.</summary>
    public async Task<EnvironmentModel?> BuildAsync(string subdomainInput, CancellationToken cancellationToken)
    {
        var subdomain = SubdomainRules.Normalize(subdomainInput);
        var intent = await store.GetAsync(subdomain, cancellationToken);
        if (intent is null)
        {
            return null;
        }
        var status = await store.GetStatusAsync(subdomain, cancellationToken);
        var (observation, warning) = await ListPageBuilder.ObserveAsync(observedTasks, time.GetUtcNow(), cancellationToken);
        long? accessCount;
        try
        {
            accessCount = await accessCounts.GetAccessCountAsync(subdomain, AccessWindow, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // CloudWatch may refuse (permissions, throttling); the rest of the page is still worth showing.
            accessCount = null;
            warning = (warning is null ? "" : warning + " ") + $"Mirage could not read the access count ({e.Message}).";
        }
        var now = time.GetUtcNow();
        var state = ListPageBuilder.StateOf(intent, status);
        var slept = SleepInterval.SleptSince(status?.Slept ?? [], now - SleptWindow, now);
        return new EnvironmentModel
        {
            Subdomain = subdomain,
            Url = rows.UrlOf(subdomain),
            State = state.ToString(),
            Message = ListPageBuilder.MessageOf(intent, status),
            Desired = intent.Desired.ToString().ToLowerInvariant(),
            Source = intent.Source.ToString().ToLowerInvariant(),
            Owner = intent.Owner ?? "",
            Revision = intent.Revision,
            ObservedRevision = status?.ObservedRevision ?? 0,
            Restarts = status?.Restarts ?? 0,
            Branch = intent.Branch,
            TaskDefinitions = intent.TaskDefinitions,
            Parameters = [.. intent.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new NameValue(p.Key, SecretNames.Shown(p.Key, p.Value)))],
            Policy = PolicyText(intent.Policy),
            Keep = intent.Policy.Keep,
            CanPin = intent.Desired == DesiredState.Running && intent.Source != IntentSource.GitOps,
            CanSleep = intent.Desired == DesiredState.Running && !intent.Asleep && state is not (Model.Lifecycle.LifecycleState.Failed or Model.Lifecycle.LifecycleState.Sleeping),
            CanWake = intent.Desired == DesiredState.Running && intent.Asleep,
            SleptThisWeek = slept.TotalHours.ToString("0.0", CultureInfo.InvariantCulture),
            Created = TimeText.Display(intent.CreatedAt),
            CreatedIso = TimeText.Iso(intent.CreatedAt),
            Launched = TimeText.Display(intent.LaunchedAt),
            LaunchedIso = TimeText.Iso(intent.LaunchedAt),
            Conditions = [.. (status?.Conditions ?? []).Select(c => ToView(c, intent.Revision))],
            Events = [.. (status?.Events ?? []).Reverse().Select(e => new EventView(TimeText.Display(e.At), TimeText.Iso(e.At), e.Reason, e.Message))],
            Tasks = [.. observation.RunningFor(subdomain).OrderBy(t => t.LaunchedAt).Select(ToView)],
            StoppedTasks = [.. observation.StoppedFor(subdomain).OrderByDescending(t => t.StoppedAt ?? t.LaunchedAt).Take(10).Select(ToView)],
            AccessCount = accessCount?.ToString(CultureInfo.InvariantCulture) ?? "?",
            Warning = warning,
            AccessWindow = "24 hours",
            AccessChart = Pages.AccessChart.Chart(await accessHistory.GetHourlyAsync(subdomain, Pages.AccessChart.Hours, cancellationToken), time.GetUtcNow()),
            LogsUrl = ListPageBuilder.DetailsUrl(subdomain) + "/logs",
            CanTerminate = intent.Desired == DesiredState.Running && intent.Source != IntentSource.GitOps,
        };
    }

    private static ConditionView ToView(Condition condition, long revision) => new(
        condition.Type,
        condition.Status.ToString(),
        condition.Status.ToString().ToLowerInvariant(),
        condition.Reason,
        condition.Message,
        TimeText.Display(condition.LastTransitionTime),
        TimeText.Iso(condition.LastTransitionTime),
        condition.ObservedRevision == revision);

    public static TaskView ToView(ObservedTask task) => new()
    {
        ShortId = task.ShortId,
        Arn = task.Arn,
        TaskDefinition = task.TaskDefinitionArn[(task.TaskDefinitionArn.LastIndexOf('/') + 1)..],
        LastStatus = task.LastStatus,
        DesiredStatus = task.DesiredStatus,
        Started = TimeText.Display(task.StartedAt),
        StartedIso = TimeText.Iso(task.StartedAt),
        Stopped = TimeText.Display(task.StoppedAt),
        StoppedIso = TimeText.Iso(task.StoppedAt),
        StoppedReason = task.StoppedReason ?? "",
        Containers = [.. task.Containers.Select(ToView)],
        Ports = [.. task.Ports.Select(p => new PortView(p.ContainerName, p.ContainerPort, $"{p.Host}:{p.HostPort}"))],
        Environment = [.. task.Overrides.SelectMany(o => o.Environment).GroupBy(e => e.Name, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new NameValue(g.Key, SecretNames.Shown(g.Key, g.Last().Value)))],
        TraceUrl = ListPageBuilder.TraceUrl(task.ShortId),
    };

    public static ContainerView ToView(ObservedContainer container) => new(
        container.Name, container.LastStatus, container.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "", container.Reason ?? "");

    private static string PolicyText(LifecyclePolicy policy)
    {
        var parts = new List<string>();
        if (policy.Keep)
        {
            parts.Add("kept (never purged)");
        }
        if (policy.Ttl is { } ttl)
        {
            parts.Add($"expires {TimeText.Duration(ttl)} after launch");
        }
        if (policy.IdleWindow is { } idle)
        {
            parts.Add($"terminated after {TimeText.Duration(idle)} without requests");
        }
        if (policy.SleepAfter is { } sleepAfter)
        {
            parts.Add(sleepAfter == TimeSpan.Zero ? "never sleeps" : $"sleeps after {TimeText.Duration(sleepAfter)} without requests");
        }
        return parts.Count == 0 ? "default (purge settings apply)" : string.Join("; ", parts);
    }
}
