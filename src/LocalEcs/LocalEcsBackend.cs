using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mirage.LocalEcs.Runtimes;
using Mirage.LocalEcs.TaskDefinitions;
using Mirage.LocalEcs.Tasks;
using Mirage.Model.Backend;
using Mirage.Model.Launch;

namespace Mirage.LocalEcs;

/// <summary>
/// The embedded ECS: runs task definitions from a folder as local processes on loopback. Tasks, their client
/// tokens and their pids are journaled, so a restarted Mirage re-attaches to processes that outlived it and never
/// starts a second task for a token it has seen.
/// </summary>
public sealed class LocalEcsBackend : IEcsBackend, ITaskChangeNotifier, IAsyncDisposable
{
    private const string ManagedByKey = "ManagedBy";
    private const string ManagedByValue = "Mirage";

    private readonly LocalEcsOptions _options;
    private readonly TaskDefinitionCatalog _catalog;
    private readonly LocalTaskRegistry _registry;
    private readonly ILocalEcsEndpointAddress _endpoint;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LocalRuntimeChoice _runtime;
    private readonly IReadOnlyDictionary<string, string> _inherited;
    private readonly TaskJournal _journal;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LocalTaskContext? _context;
    private bool _loaded;
    private bool _disposed;

    public LocalEcsBackend(
        IOptions<LocalEcsOptions> options,
        TaskDefinitionCatalog catalog,
        LocalTaskRegistry registry,
        ILocalEcsEndpointAddress endpoint,
        LocalRuntimeChoice runtime,
        TimeProvider time,
        ILogger<LocalEcsBackend> logger)
    {
        _options = options.Value;
        _catalog = catalog;
        _registry = registry;
        _endpoint = endpoint;
        _time = time;
        _logger = logger;
        var inherited = new Dictionary<string, string>(TaskEnvironment.InheritedFromMirage(), StringComparer.Ordinal);
        foreach (var (name, value) in _options.ExtraEnvironment)
        {
            inherited[name] = value;
        }
        _inherited = inherited;
        _runtime = runtime;
        _journal = new TaskJournal(_options.JournalFolder);
    }

    /// <summary>Built on first use: the runtime is chosen when the host starts, after this backend is constructed.</summary>
    private LocalTaskContext Context => _context ??= new LocalTaskContext(_options, _time, _logger, _journal, _inherited,
        task => TaskChanged?.Invoke(task.ToObservedTask()), _runtime.Runtime);

    public event Action<ObservedTask>? TaskChanged;

    public async Task<ObservedTask> RunTaskAsync(RunTaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.ClientToken))
        {
            throw new ArgumentException("RunTask needs a client token (it makes the launch idempotent)", nameof(request));
        }
        using var activity = LocalEcsTracing.Start("RunTask");
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await LoadJournalOnceAsync();
            ForgetExpired();
            var existing = _registry.All.FirstOrDefault(t => t.Snapshot().ClientToken == request.ClientToken);
            if (existing is not null)
            {
                var found = existing.Snapshot();
                activity?.SetTag("aws.ecs.task.arn", found.Arn);
                return found.ToObservedTask();
            }
            var definition = _catalog.Resolve(request.TaskDefinition);
            foreach (var unknown in request.Overrides.Where(o => definition.Containers.All(c => c.Name != o.Name)))
            {
                throw new ArgumentException(
                    $"container override '{unknown.Name}' names no container of {definition.Family}:{definition.Revision} (containers: {string.Join(", ", definition.Containers.Select(c => c.Name))})",
                    nameof(request));
            }
            var endpoint = await _endpoint.GetBaseAddressAsync(cancellationToken);
            var taskId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var authorizationToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var snapshot = new LocalTaskSnapshot
            {
                Arn = $"arn:aws:ecs:{_options.Region}:{_options.AccountId}:task/{_options.Cluster}/{taskId}",
                TaskId = taskId,
                Definition = definition,
                ClientToken = request.ClientToken,
                StartedBy = request.StartedBy,
                Tags = request.Tags,
                Overrides = request.Overrides,
                LastStatus = EcsTaskStatus.Provisioning,
                DesiredStatus = EcsTaskStatus.Running,
                CreatedAt = _time.GetUtcNow(),
                AuthorizationTokenHash = HashToken(authorizationToken),
                Containers = [.. definition.Containers.Select(c => new LocalContainerSnapshot
                {
                    Name = c.Name,
                    LastStatus = EcsTaskStatus.Pending,
                    Ports = [.. c.PortMappings.Select(p => new TaskPortBinding(c.Name, p.ContainerPort, LocalTask.Loopback, FreeLoopbackPort()))],
                })],
            };
            // Journaled before anything starts: a crash from here on cannot lose the client token.
            _journal.Write(snapshot);
            var task = new LocalTask(snapshot, Context);
            _registry.Add(task);
            Log.TaskCreated(_logger, snapshot.Arn, $"{definition.Family}:{definition.Revision}");
            activity?.SetTag("aws.ecs.task.arn", snapshot.Arn);
            task.Launch(endpoint, authorizationToken);
            return task.Snapshot().ToObservedTask();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ObservedTask?> StopTaskAsync(string taskArn, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskArn);
        using var activity = LocalEcsTracing.Start("StopTask");
        activity?.SetTag("aws.ecs.task.arn", taskArn);
        await EnsureLoadedAsync(cancellationToken);
        var task = _registry.Find(taskArn);
        task?.RequestStop(string.IsNullOrWhiteSpace(reason) ? "Task stopped by user" : reason, "UserInitiated");
        return task?.Snapshot().ToObservedTask();
    }

    public async Task<IReadOnlyList<ObservedTask>> DescribeTasksAsync(IReadOnlyCollection<string> taskArns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskArns);
        await EnsureLoadedAsync(cancellationToken);
        return [.. taskArns.Select(_registry.Find).OfType<LocalTask>().Select(t => t.Snapshot().ToObservedTask())];
    }

    public async Task<IReadOnlyList<ObservedTask>> ListTasksAsync(TaskDesiredStatus desiredStatus, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken);
        var wanted = EcsTaskStatus.Of(desiredStatus);
        return [.. _registry.Snapshots()
            .Where(t => t.DesiredStatus == wanted && t.Tags.Any(tag => tag.Key == ManagedByKey && tag.Value == ManagedByValue))
            .OrderBy(t => t.CreatedAt)
            .Select(t => t.ToObservedTask())];
    }

    public Task<TaskDefinitionInfo> DescribeTaskDefinitionAsync(string taskDefinition, CancellationToken cancellationToken) =>
        Task.FromResult(_catalog.Resolve(taskDefinition).ToInfo());

    public async Task<IReadOnlyList<LogLine>> ReadLogsAsync(ObservedTask task, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        await EnsureLoadedAsync(cancellationToken);
        return _registry.Find(task.Arn)?.ReadLogs(since) ?? [];
    }

    /// <summary>Reads the journal and re-attaches to surviving processes; called by the first operation if not before.</summary>
    public async Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await LoadJournalOnceAsync();
            ForgetExpired();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops every task (SIGTERM, then SIGKILL after the grace period) so no process outlives Mirage.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        finally
        {
            _gate.Release();
        }
        var tasks = _registry.All;
        foreach (var task in tasks)
        {
            task.RequestStop("Mirage shut down", "TerminationNotice");
        }
        await Task.WhenAll(tasks.Select(t => t.Completion));
    }

    /// <summary>Lets go of every task without stopping it, as if Mirage had crashed (tests use it to restart over the same journal).</summary>
    internal async Task DetachAsync()
    {
        _disposed = true;
        await Task.WhenAll(_registry.All.Select(t => t.DetachAsync()));
    }

    internal static string HashToken(string token) => Credentials.AuthorizationToken.Hash(token);

    private async Task LoadJournalOnceAsync()
    {
        if (_loaded)
        {
            return;
        }
        _loaded = true;
        var (entries, errors) = _journal.ReadAll();
        foreach (var error in errors)
        {
            Log.JournalProblem(_logger, error);
        }
        foreach (var entry in entries)
        {
            var task = new LocalTask(entry, Context);
            _registry.Add(task);
            await task.ResumeAsync();
        }
    }

    private void ForgetExpired()
    {
        var now = _time.GetUtcNow();
        foreach (var task in _registry.All)
        {
            var snapshot = task.Snapshot();
            if (snapshot.LastStatus != EcsTaskStatus.Stopped || snapshot.StoppedAt is not { } stoppedAt || now - stoppedAt < _options.StoppedTaskRetention)
            {
                continue;
            }
            _registry.Remove(snapshot.TaskId);
            _journal.Delete(snapshot.TaskId);
            var logs = Path.Combine(_options.LogFolder, snapshot.TaskId);
            if (Directory.Exists(logs))
            {
                Directory.Delete(logs, recursive: true);
            }
            Log.TaskForgotten(_logger, snapshot.Arn);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
