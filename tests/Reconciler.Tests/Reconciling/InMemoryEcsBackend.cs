using System.Collections.Concurrent;
using Mirage.Model.Backend;

namespace Mirage.Reconciler.Tests.Reconciling;

/// <summary>
/// A stand-in for ECS in unit tests of the reconciler: tasks start PENDING and move when the test says so; like
/// LocalEcs, it announces every change, so the task cache stays current.
/// </summary>
internal sealed class InMemoryEcsBackend(TimeProvider time) : IEcsBackend, ITaskChangeNotifier
{
    private readonly ConcurrentDictionary<string, ObservedTask> _tasks = new();
    private readonly ConcurrentDictionary<string, string> _byToken = new();
    private int _next;

    public List<string> Calls { get; } = [];

    /// <summary>Called before each StopTask, so a test can look at the routes at that moment.</summary>
    public Action<string>? BeforeStop { get; set; }

    public IReadOnlyCollection<ObservedTask> Tasks => [.. _tasks.Values];

    public int RunTaskCalls { get; private set; }

    public int DescribeTasksCalls { get; private set; }

    public int ListTasksCalls { get; private set; }

    public event Action<ObservedTask>? TaskChanged;

    /// <summary>Changes are not announced (ECS without the events queue): only listings and describes show them.</summary>
    public bool Silent { get; set; }

    public Task<ObservedTask> RunTaskAsync(RunTaskRequest request, CancellationToken cancellationToken)
    {
        RunTaskCalls++;
        if (request.TaskDefinition.StartsWith("missing", StringComparison.Ordinal))
        {
            throw new TaskDefinitionNotFoundException(request.TaskDefinition);
        }
        if (_byToken.TryGetValue(request.ClientToken, out var existing))
        {
            return Task.FromResult(_tasks[existing]);
        }
        var id = Interlocked.Increment(ref _next);
        var arn = $"arn:aws:ecs:us-east-1:123456789012:task/test/{id:x32}";
        var task = new ObservedTask
        {
            Arn = arn,
            TaskDefinitionArn = $"arn:aws:ecs:us-east-1:123456789012:task-definition/{request.TaskDefinition}",
            LastStatus = EcsTaskStatus.Pending,
            DesiredStatus = EcsTaskStatus.Running,
            Tags = request.Tags,
            StartedBy = request.StartedBy,
            Overrides = request.Overrides,
            CreatedAt = time.GetUtcNow(),
            IpAddress = "127.0.0.1",
            Ports = [new TaskPortBinding("app", 80, "127.0.0.1", 20000 + id)],
        };
        _tasks[arn] = task;
        _byToken[request.ClientToken] = arn;
        Calls.Add($"run {request.TaskDefinition}");
        return Task.FromResult(task);
    }

    public Task<ObservedTask?> StopTaskAsync(string taskArn, string reason, CancellationToken cancellationToken)
    {
        BeforeStop?.Invoke(taskArn);
        if (_tasks.TryGetValue(taskArn, out var task) && task.DesiredStatus != EcsTaskStatus.Stopped)
        {
            Set(task with { DesiredStatus = EcsTaskStatus.Stopped, LastStatus = EcsTaskStatus.Stopped, StoppedReason = reason, StopCode = "UserInitiated", StoppedAt = time.GetUtcNow() });
            Calls.Add($"stop {task.ShortId}");
        }
        return Task.FromResult(_tasks.GetValueOrDefault(taskArn));
    }

    public Task<IReadOnlyList<ObservedTask>> DescribeTasksAsync(IReadOnlyCollection<string> taskArns, CancellationToken cancellationToken)
    {
        DescribeTasksCalls++;
        return Task.FromResult<IReadOnlyList<ObservedTask>>([.. taskArns.Select(_tasks.GetValueOrDefault).OfType<ObservedTask>()]);
    }

    public Task<IReadOnlyList<ObservedTask>> ListTasksAsync(TaskDesiredStatus desiredStatus, CancellationToken cancellationToken)
    {
        if (desiredStatus == TaskDesiredStatus.Running)
        {
            ListTasksCalls++;
        }
        var wanted = desiredStatus == TaskDesiredStatus.Running ? EcsTaskStatus.Running : EcsTaskStatus.Stopped;
        return Task.FromResult<IReadOnlyList<ObservedTask>>([.. _tasks.Values.Where(t => t.DesiredStatus == wanted && t.Tag("ManagedBy") == "Mirage")]);
    }

    public int DescribeTaskDefinitionCalls { get; private set; }

    public Task<TaskDefinitionInfo> DescribeTaskDefinitionAsync(string taskDefinition, CancellationToken cancellationToken) =>
        ++DescribeTaskDefinitionCalls > 0 && taskDefinition.StartsWith("missing", StringComparison.Ordinal)
            ? throw new TaskDefinitionNotFoundException(taskDefinition)
            : Task.FromResult(new TaskDefinitionInfo($"arn:aws:ecs:us-east-1:123456789012:task-definition/{taskDefinition}", taskDefinition.Split(':')[0], 1,
                [new ContainerDefinitionInfo("app", true, [80]), new ContainerDefinitionInfo("sidecar", false, [])]));

    public Task<IReadOnlyList<LogLine>> ReadLogsAsync(ObservedTask task, DateTimeOffset? since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LogLine>>([]);

    public void StartAll()
    {
        foreach (var task in _tasks.Values.Where(t => t.LastStatus == EcsTaskStatus.Pending))
        {
            Set(task with { LastStatus = EcsTaskStatus.Running, StartedAt = time.GetUtcNow() });
        }
    }

    public void Crash(string arn, int exitCode)
    {
        var task = _tasks[arn];
        Set(task with
        {
            DesiredStatus = EcsTaskStatus.Stopped,
            LastStatus = EcsTaskStatus.Stopped,
            StopCode = "EssentialContainerExited",
            StoppedReason = "Essential container in task exited",
            Containers = [new ObservedContainer("app", EcsTaskStatus.Stopped, exitCode)],
        });
    }

    /// <summary>The platform stopped the task (ECS maintenance, a Spot notice, a Mirage shutdown in LocalEcs).</summary>
    public void StopByInfrastructure(string arn, string reason, string stopCode = "ServiceSchedulerInitiated")
    {
        var task = _tasks[arn];
        Set(task with { DesiredStatus = EcsTaskStatus.Stopped, LastStatus = EcsTaskStatus.Stopped, StopCode = stopCode, StoppedReason = reason, StoppedAt = time.GetUtcNow() });
    }

    /// <summary>A task started by someone else (mirage-ecs, or a Mirage whose store was lost).</summary>
    public ObservedTask AddForeign(string subdomainTag, string taskDefinition, params EcsTag[] extraTags)
    {
        var id = Interlocked.Increment(ref _next);
        var arn = $"arn:aws:ecs:us-east-1:123456789012:task/test/{id:x32}";
        var task = new ObservedTask
        {
            Arn = arn,
            TaskDefinitionArn = $"arn:aws:ecs:us-east-1:123456789012:task-definition/{taskDefinition}",
            LastStatus = EcsTaskStatus.Running,
            DesiredStatus = EcsTaskStatus.Running,
            Tags = [new("Subdomain", subdomainTag), new("ManagedBy", "Mirage"), .. extraTags],
            CreatedAt = time.GetUtcNow(),
            StartedAt = time.GetUtcNow(),
            IpAddress = "127.0.0.1",
            Ports = [new TaskPortBinding("app", 80, "127.0.0.1", 20000 + id)],
        };
        Set(task);
        return task;
    }

    /// <summary>Changes a task the way ECS would without saying so (only a listing or a describe shows it).</summary>
    public void ChangeSilently(ObservedTask task) => _tasks[task.Arn] = task;

    private void Set(ObservedTask task)
    {
        _tasks[task.Arn] = task;
        if (!Silent)
        {
            TaskChanged?.Invoke(task);
        }
    }
}
