using System.Text;
using Mirage.Model.Backend;

namespace Mirage.Api.Web.Pages;

/// <summary>
/// One task's story as fujiwara/tracer (mirage-ecs's <c>/trace/{taskid}</c>) tells it: its ECS lifecycle timestamps,
/// its containers' states and exit codes, and its log lines around the start and the stop, on one time line.
/// </summary>
public sealed record TaskTrace(string TaskId, string Cluster, IReadOnlyList<TraceEntry> Entries)
{
    /// <summary>How far before and after the start and the stop log lines are shown.</summary>
    public static readonly TimeSpan LogMargin = TimeSpan.FromMinutes(5);

    public const string TaskSource = "TASK";

    /// <summary>Where logs are read from: the head window opens here.</summary>
    public static DateTimeOffset? LogsSince(ObservedTask task) => task.CreatedAt - LogMargin;

    public static TaskTrace Build(ObservedTask task, IReadOnlyList<LogLine> logs, string cluster, DateTimeOffset now)
    {
        var entries = new List<TraceEntry>();
        void Task(DateTimeOffset? at, string message)
        {
            if (at is { } t)
            {
                entries.Add(new TraceEntry(t, TaskSource, message, TraceEntryKind.Lifecycle));
            }
        }
        Task(task.CreatedAt, "Created");
        Task(task.PullStartedAt, "Pull started");
        Task(task.PullStoppedAt, "Pull stopped");
        Task(task.StartedAt, "Started");
        Task(task.StoppingAt, "Stopping");
        Task(task.ExecutionStoppedAt, "Execution stopped");
        Task(task.StoppedAt, "Stopped");
        var end = task.StoppedAt ?? now;
        if (!string.IsNullOrEmpty(task.StoppedReason))
        {
            entries.Add(new TraceEntry(end, TaskSource, "StoppedReason:" + task.StoppedReason, TraceEntryKind.Stop));
        }
        if (!string.IsNullOrEmpty(task.StopCode))
        {
            entries.Add(new TraceEntry(end, TaskSource, "StoppedCode:" + task.StopCode, TraceEntryKind.Stop));
        }
        entries.Add(new TraceEntry(end, TaskSource, "LastStatus:" + task.LastStatus, TraceEntryKind.Status));
        foreach (var container in task.Containers)
        {
            var message = new StringBuilder("LastStatus:").Append(container.LastStatus);
            if (container.ExitCode is { } exitCode)
            {
                message.Append(" (exit code: ").Append(exitCode).Append(')');
            }
            if (!string.IsNullOrEmpty(container.Reason))
            {
                message.Append(" (reason: ").Append(container.Reason).Append(')');
            }
            entries.Add(new TraceEntry(end, "CONTAINER:" + container.Name, message.ToString(), TraceEntryKind.Status));
        }
        foreach (var line in logs.Where(l => InWindows(task, l.Timestamp, now)))
        {
            entries.Add(new TraceEntry(line.Timestamp, "CONTAINER:" + line.Container, line.Message, TraceEntryKind.Log));
        }
        // Stable sort: at one instant, lifecycle lines keep their order and come before the log lines.
        var sorted = entries.Select((e, i) => (e, i)).OrderBy(x => x.e.At).ThenBy(x => x.i).Select(x => x.e).Distinct().ToList();
        return new TaskTrace(task.ShortId, cluster, sorted);
    }

    /// <summary>The head window [created-5m, (pull stopped|started|created)+5m] and the tail [(stopping|now)-5m, (stopped+5m|now)].</summary>
    public static bool InWindows(ObservedTask task, DateTimeOffset at, DateTimeOffset now)
    {
        if (task.CreatedAt is { } created)
        {
            var headEnd = (task.PullStoppedAt ?? task.StartedAt ?? created) + LogMargin;
            if (at >= created - LogMargin && at <= headEnd)
            {
                return true;
            }
        }
        var tailStart = (task.StoppingAt ?? now) - LogMargin;
        var tailEnd = task.StoppedAt is { } stopped ? stopped + LogMargin : now;
        return at >= tailStart && at <= tailEnd;
    }

    /// <summary>The plain-text form: <c>Tracer: {task} on {cluster}</c>, then one tab-separated line per entry.</summary>
    public string ToText()
    {
        var text = new StringBuilder().Append("Tracer: ").Append(TaskId).Append(" on ").Append(Cluster).Append('\n');
        foreach (var entry in Entries)
        {
            text.Append(TimeText.Iso(entry.At)).Append('\t').Append(entry.Source).Append('\t').Append(entry.Message).Append('\n');
        }
        return text.ToString();
    }
}

public sealed record TraceEntry(DateTimeOffset At, string Source, string Message, TraceEntryKind Kind);

public enum TraceEntryKind
{
    Lifecycle,
    Stop,
    Status,
    Log,
}
