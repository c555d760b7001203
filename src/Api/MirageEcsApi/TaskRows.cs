using Mirage.Model.Backend;
using Mirage.Model.Configuration;
using Mirage.Model.Intents;
using Mirage.Model.Launch;
using Mirage.Reconciler.Reconciling;

namespace Mirage.Api.MirageEcsApi;

/// <summary>
/// Builds <c>/api/list</c> rows: one per task whose desired status is RUNNING, as mirage-ecs, plus one row for each
/// environment that is wanted but has no task yet (last_status PROVISIONING, empty id), and none for an environment
/// being terminated, so a script that lists right after launching or terminating sees what it asked for. A sleeping
/// environment has one such row too, with last_status STOPPED and state Sleeping.
/// </summary>
public sealed class TaskRows(IIntentStore store, ObservedTasks observedTasks, MirageConfig config)
{
    public async Task<IReadOnlyList<TaskInformation>> ListAsync(CancellationToken cancellationToken)
    {
        var observation = await observedTasks.GetAsync(cancellationToken);
        var intents = await store.ListAsync(cancellationToken);
        var rows = new List<TaskInformation>();
        var terminated = intents.Where(i => i.Desired == DesiredState.Terminated).Select(i => i.Subdomain).ToHashSet(StringComparer.Ordinal);
        // Tasks of an environment being terminated are on their way out: the list shows what is wanted.
        foreach (var task in observation.Running.Where(t => !terminated.Contains(TaskTags.SubdomainOf(t))))
        {
            var subdomain = TaskTags.SubdomainOf(task);
            var status = await store.GetStatusAsync(subdomain, cancellationToken);
            rows.Add(FromTask(task, subdomain, status?.State.ToString()));
        }
        foreach (var intent in intents.Where(i => i.Desired == DesiredState.Running && observation.RunningFor(i.Subdomain).Count == 0))
        {
            var status = await store.GetStatusAsync(intent.Subdomain, cancellationToken);
            rows.Add(FromIntent(intent, status?.State.ToString()));
        }
        return [.. rows.OrderBy(r => r.Subdomain, StringComparer.Ordinal).ThenBy(r => r.Created)];
    }

    /// <summary>The row of the task with this ARN or short id, or null.</summary>
    public async Task<TaskInformation?> FindTaskAsync(string id, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(r => r.Id.Length > 0 && (r.Id == id || r.ShortId == id));

    /// <summary>The row of one observed task (running or stopped), as mirage-ecs's Information.</summary>
    public TaskInformation RowOf(ObservedTask task) => FromTask(task, TaskTags.SubdomainOf(task), null);

    public string UrlOf(string subdomain) =>
        subdomain.AsSpan().IndexOfAny("*?[\\") >= 0 ? "" : $"{Scheme}://{subdomain}{config.Host.ReverseProxySuffix}{PortSuffix}/";

    private string Scheme => config.Host.ReverseProxySuffix.EndsWith(".localtest.me", StringComparison.Ordinal) ? "http" : "https";

    // Locally Mirage listens on a port of its own; behind an ALB the URL has none.
    private string PortSuffix =>
        Scheme == "http" && config.Listen.Http.Count > 0 && config.Listen.Http[0].Listen != 80 ? $":{config.Listen.Http[0].Listen}" : "";

    private TaskInformation FromTask(ObservedTask task, string subdomain, string? state)
    {
        var firstOverride = task.Overrides.FirstOrDefault();
        var env = firstOverride?.Environment.GroupBy(e => e.Name).ToDictionary(g => g.Key, g => g.Last().Value) ?? [];
        var branch = env.TryGetValue("GIT_BRANCH", out var fromEnv) ? fromEnv : task.Tag("branch") ?? "";
        return new TaskInformation
        {
            Id = task.Arn,
            ShortId = task.ShortId,
            Subdomain = subdomain,
            Branch = branch,
            TaskDef = task.TaskDefinitionArn[(task.TaskDefinitionArn.LastIndexOf('/') + 1)..],
            IpAddress = task.IpAddress,
            Created = task.StartedAt ?? DateTimeOffset.MinValue,
            LastStatus = task.LastStatus,
            PortMap = task.Ports.GroupBy(p => p.ContainerName).ToDictionary(g => g.Key, g => g.Last().ContainerPort),
            Env = env,
            Tags = [.. task.Tags.Select(t => new TaskTag(t.Key, t.Value))],
            State = state,
            Url = UrlOf(subdomain),
        };
    }

    private TaskInformation FromIntent(EnvironmentIntent intent, string? state) => new()
    {
        Id = "",
        ShortId = "",
        Subdomain = intent.Subdomain,
        Branch = intent.Branch,
        TaskDef = string.Join(",", intent.TaskDefinitions),
        IpAddress = "",
        Created = DateTimeOffset.MinValue,
        LastStatus = state == nameof(Model.Lifecycle.LifecycleState.Sleeping) ? EcsTaskStatus.Stopped : EcsTaskStatus.Provisioning,
        PortMap = new Dictionary<string, int>(),
        Env = new Dictionary<string, string>(),
        Tags = [],
        State = state ?? "Pending",
        Url = UrlOf(intent.Subdomain),
    };
}
