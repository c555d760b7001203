using Mirage.Model.Backend;
using Mirage.Model.Configuration;
using Mirage.Model.Launch;
using Mirage.Reconciler.Reconciling;

namespace Mirage.Api.Web.Pages;

/// <summary>Finds a task (running or recently stopped) by id or ARN and builds its trace.</summary>
public sealed class TracePageBuilder(ObservedTasks observedTasks, IEcsBackend backend, MirageConfig config, WebUiOptions options, TimeProvider time)
{
    public async Task<(TaskTrace Trace, TraceModel Model)?> BuildAsync(string taskId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var observation = await observedTasks.GetAsync(cancellationToken);
        var task = observation.Running.Concat(observation.Stopped).FirstOrDefault(t => t.ShortId == taskId || t.Arn == taskId);
        if (task is null)
        {
            return null;
        }
        var logs = await backend.ReadLogsAsync(task, TaskTrace.LogsSince(task), cancellationToken);
        var cluster = options.Local ? "local" : config.Ecs.Cluster;
        var trace = TaskTrace.Build(task, logs, cluster, now);
        var subdomain = TaskTags.SubdomainOf(task);
        return (trace, new TraceModel
        {
            TaskId = task.ShortId,
            Arn = task.Arn,
            Cluster = cluster,
            Subdomain = subdomain,
            DetailsUrl = ListPageBuilder.DetailsUrl(subdomain),
            TaskDefinition = task.TaskDefinitionArn[(task.TaskDefinitionArn.LastIndexOf('/') + 1)..],
            LastStatus = task.LastStatus,
            DesiredStatus = task.DesiredStatus,
            Milestones = Milestones(task),
            StoppedReason = task.StoppedReason ?? "",
            StopCode = task.StopCode ?? "",
            Containers = [.. task.Containers.Select(EnvironmentPageBuilder.ToView)],
            Entries = [.. trace.Entries.Select(e => new TraceEntryView(
                TimeText.Iso(e.At)[11..^1], TimeText.Iso(e.At), e.Source, e.Message, e.Kind.ToString().ToLowerInvariant()))],
            LogLineCount = trace.Entries.Count(e => e.Kind == TraceEntryKind.Log),
            Text = trace.ToText(),
            TextUrl = ListPageBuilder.TraceUrl(task.ShortId) + "?format=text",
        });
    }

    private static MilestoneView[] Milestones(ObservedTask task)
    {
        MilestoneView Milestone(string label, DateTimeOffset? at) => new(
            label, at is not null, TimeText.Display(at), TimeText.Iso(at), at is null ? "" : TimeText.Iso(at)[11..^1],
            at is { } t && task.CreatedAt is { } created ? "+" + TimeText.Duration(t - created) : "");
        return
        [
            Milestone("Created", task.CreatedAt),
            Milestone("Pull started", task.PullStartedAt),
            Milestone("Pull stopped", task.PullStoppedAt),
            Milestone("Started", task.StartedAt),
            Milestone("Stopping", task.StoppingAt),
            Milestone("Execution stopped", task.ExecutionStoppedAt),
            Milestone("Stopped", task.StoppedAt),
        ];
    }
}
