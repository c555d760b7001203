using Mirage.Model.Backend;
using Mirage.Model.Launch;

namespace Mirage.Reconciler.Reconciling;

/// <summary>
/// The shared task cache (an informer): filled by one full listing per resync (RUNNING and STOPPED), kept current
/// between listings by Mirage's own RunTask/StopTask answers, by describes of just the tasks a pass must know, and by
/// pushed changes (LocalEcs, the ECS events queue). Reconcile passes, the API, the UI and the policies read it, so
/// their cost in ECS calls does not grow with the number of environments.
/// </summary>
public sealed class ObservedTasks : ITaskChangeSink
{
    /// <summary>
    /// ECS's listings are eventually consistent: a task Mirage started or changed this recently is kept even when a
    /// listing does not show it yet.
    /// </summary>
    public static readonly TimeSpan ListingLag = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan ListingTimeout = TimeSpan.FromMinutes(1);

    private readonly IEcsBackend _backend;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CachedTask> _tasks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _foreign = new(StringComparer.Ordinal);
    private Task<TaskObservation>? _inFlight;
    private DateTimeOffset _inFlightStartedAt;
    private DateTimeOffset? _listedAt;
    private TaskObservation? _snapshot;
    private string? _listingError;

    public ObservedTasks(IEcsBackend backend, TimeProvider time)
    {
        _backend = backend;
        _time = time;
        if (backend is ITaskChangeNotifier notifier)
        {
            notifier.TaskChanged += task => Apply(task);
        }
    }

    /// <summary>Raised with the subdomain of a task whose pushed change altered the cache (not for Mirage's own answers).</summary>
    public event Action<string>? Changed;

    /// <summary>The cache as it is, or null before the first listing.</summary>
    public TaskObservation? Last
    {
        get
        {
            lock (_gate)
            {
                return _listedAt is null ? null : SnapshotLocked();
            }
        }
    }

    /// <summary>Why the last full listing failed, or null when it succeeded.</summary>
    public string? ListingError
    {
        get
        {
            lock (_gate)
            {
                return _listingError;
            }
        }
    }

    /// <summary>When the last full listing started, or null before the first.</summary>
    public DateTimeOffset? ListedAt
    {
        get
        {
            lock (_gate)
            {
                return _listedAt;
            }
        }
    }

    /// <summary>
    /// How old the last listing may be before a reader lists again; null: never. The leader's resync keeps it younger;
    /// a follower (which runs no resync) lists when asked and its listing is older than this.
    /// </summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>The cache; lists once if nothing has been listed yet, or again when it is older than <see cref="MaxAge"/>.</summary>
    public async Task<TaskObservation> GetAsync(CancellationToken cancellationToken)
    {
        TaskObservation? stale = null;
        lock (_gate)
        {
            if (_listedAt is { } listedAt)
            {
                var snapshot = SnapshotLocked();
                if (MaxAge is not { } maxAge || _time.GetUtcNow() - listedAt <= maxAge)
                {
                    return snapshot;
                }
                stale = snapshot;
            }
        }
        if (stale is null)
        {
            return await RefreshAsync(cancellationToken);
        }
        try
        {
            return await RefreshAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // ECS unreachable: the last view is better than none (ListingError says why it is old).
            return stale;
        }
    }

    /// <summary>A full listing (RUNNING and STOPPED); callers that ask while one is under way share it.</summary>
    public Task<TaskObservation> RefreshAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_inFlight is not null)
            {
                return _inFlight.WaitAsync(cancellationToken);
            }
            _inFlightStartedAt = _time.GetUtcNow();
            // The listing is shared, so one caller's cancellation must not cancel it for the others.
            var listing = ListAsync(_inFlightStartedAt);
            // A listing that failed before its first real await has already run its finally: it must not stay in flight.
            _inFlight = listing.IsCompleted ? null : listing;
            return listing.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Describes just these tasks and puts what ECS answers in the cache.</summary>
    public async Task<TaskObservation> DescribeAsync(IReadOnlyCollection<string> taskArns, CancellationToken cancellationToken)
    {
        if (taskArns.Count > 0)
        {
            foreach (var task in await _backend.DescribeTasksAsync(taskArns, cancellationToken))
            {
                Record(task);
            }
        }
        return await GetAsync(cancellationToken);
    }

    /// <summary>Puts a task Mirage's own action answered with (RunTask, StopTask, DescribeTasks) in the cache.</summary>
    public void Record(ObservedTask task) => Merge(task, pushed: false);

    /// <summary>
    /// Puts a pushed change in the cache and raises <see cref="Changed"/> when it is news. A report older than the
    /// cached one (by ECS's version, else by status order) is ignored, so duplicates and reordering are harmless.
    /// Returns false when the report was ignored.
    /// </summary>
    public bool Apply(ObservedTask task)
    {
        if (!Merge(task, pushed: true))
        {
            return false;
        }
        var subdomain = TaskTags.SubdomainOf(Find(task.Arn) ?? task);
        if (subdomain.Length > 0)
        {
            Changed?.Invoke(subdomain);
        }
        return true;
    }

    /// <summary>
    /// Applies a change reported by a watch. An event carries no tags: a task the cache has not seen yet is described
    /// once to learn whose it is (tasks of the cluster that are not Mirage's are remembered and skipped after that).
    /// </summary>
    public async Task<bool> ApplyAsync(ObservedTask task, CancellationToken cancellationToken)
    {
        if (task.Tags.Count > 0 || Find(task.Arn) is not null)
        {
            return IsManaged(task) && Apply(task);
        }
        lock (_gate)
        {
            if (_foreign.Contains(task.Arn))
            {
                return false;
            }
        }
        var described = (await _backend.DescribeTasksAsync([task.Arn], cancellationToken)).FirstOrDefault();
        if (described is null || !LaunchEnvironment.IsManagedByMirage(described.Tags))
        {
            lock (_gate)
            {
                _foreign.Add(task.Arn);
            }
            return false;
        }
        var news = Apply(described);
        return Apply(task with { Tags = described.Tags }) || news;
    }

    /// <summary>The cached task with this ARN, if any.</summary>
    public ObservedTask? Find(string taskArn)
    {
        lock (_gate)
        {
            return _tasks.TryGetValue(taskArn, out var cached) ? cached.Task : null;
        }
    }

    // Own answers replace anything not newer; pushed reports only when they are news (duplicates are dropped).
    private bool IsManaged(ObservedTask task) => Find(task.Arn) is not null || LaunchEnvironment.IsManagedByMirage(task.Tags);

    private bool Merge(ObservedTask task, bool pushed)
    {
        lock (_gate)
        {
            if (_tasks.TryGetValue(task.Arn, out var cached))
            {
                // A Task State Change event (or a StopTask answer) may carry no tags; a task's tags never change.
                if (task.Tags.Count == 0)
                {
                    task = task with { Tags = cached.Task.Tags };
                }
                var accepted = pushed ? TaskOrder.IsNews(task, cached.Task) : TaskOrder.IsNotOlder(task, cached.Task);
                if (!accepted)
                {
                    return false;
                }
            }
            _tasks[task.Arn] = new CachedTask(task, _time.GetUtcNow());
            _snapshot = null;
            return true;
        }
    }

    private async Task<TaskObservation> ListAsync(DateTimeOffset startedAt)
    {
        try
        {
            using var timeout = new CancellationTokenSource(ListingTimeout, _time);
            var running = await _backend.ListTasksAsync(TaskDesiredStatus.Running, timeout.Token);
            var stopped = await _backend.ListTasksAsync(TaskDesiredStatus.Stopped, timeout.Token);
            lock (_gate)
            {
                Replace(startedAt, [.. running, .. stopped]);
                _listingError = null;
                return SnapshotLocked();
            }
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _listingError = e.Message;
            }
            throw;
        }
        finally
        {
            lock (_gate)
            {
                if (_inFlightStartedAt == startedAt)
                {
                    _inFlight = null;
                }
            }
        }
    }

    // The listing is the truth as of its start; what was written since (or so recently that ECS may not list it yet)
    // is merged in by the same order as any other report.
    private void Replace(DateTimeOffset startedAt, IReadOnlyList<ObservedTask> listed)
    {
        var listedArns = new HashSet<string>(listed.Select(t => t.Arn), StringComparer.Ordinal);
        var next = new Dictionary<string, CachedTask>(StringComparer.Ordinal);
        foreach (var task in listed)
        {
            next[task.Arn] = _tasks.TryGetValue(task.Arn, out var cached) && cached.WrittenAt >= startedAt && !TaskOrder.IsNotOlder(task, cached.Task)
                ? cached
                : new CachedTask(task, startedAt);
        }
        foreach (var (arn, cached) in _tasks)
        {
            if (!listedArns.Contains(arn) && cached.WrittenAt >= startedAt - ListingLag)
            {
                next[arn] = cached;
            }
        }
        _tasks.Clear();
        foreach (var (arn, cached) in next)
        {
            _tasks[arn] = cached;
        }
        _listedAt = _listedAt is { } before && before > startedAt ? before : startedAt;
        _foreign.Clear();
        _snapshot = null;
    }

    private TaskObservation SnapshotLocked()
    {
        if (_snapshot is null)
        {
            var tasks = _tasks.Values.Select(c => c.Task).OrderBy(t => t.CreatedAt).ThenBy(t => t.Arn, StringComparer.Ordinal).ToList();
            _snapshot = new TaskObservation(
                _listedAt ?? _time.GetUtcNow(),
                [.. tasks.Where(t => t.DesiredStatus != EcsTaskStatus.Stopped)],
                [.. tasks.Where(t => t.DesiredStatus == EcsTaskStatus.Stopped)]);
        }
        return _snapshot;
    }

    private sealed record CachedTask(ObservedTask Task, DateTimeOffset WrittenAt);
}
