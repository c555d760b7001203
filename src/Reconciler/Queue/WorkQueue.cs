namespace Mirage.Reconciler.Queue;

/// <summary>
/// A work queue of keys with client-go's semantics: a key waiting twice is queued once; a key is never handed to two
/// workers at once (added while in process, it is queued again when <see cref="Done"/> is called); failing keys come
/// back after a per-key exponential backoff with a cap; <see cref="AddAfter"/> schedules a key on the TimeProvider.
/// </summary>
public sealed class WorkQueue(TimeProvider time, WorkQueueOptions options) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<string> _ready = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset DueAt, ITimer Timer)> _delayed = new(StringComparer.Ordinal);
    // One release per entry in _ready, so a taker never wakes to an empty queue.
    private readonly SemaphoreSlim _available = new(0);
    private bool _disposed;

    public WorkQueue(TimeProvider time) : this(time, new WorkQueueOptions()) { }

    /// <summary>Keys waiting to be taken (not counting delayed ones).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _ready.Count;
            }
        }
    }

    public void Add(string key)
    {
        lock (_gate)
        {
            if (_disposed || _queued.Contains(key))
            {
                return;
            }
            if (_processing.Contains(key))
            {
                _dirty.Add(key);
                return;
            }
            _queued.Add(key);
            _ready.Enqueue(key);
        }
        _available.Release();
    }

    /// <summary>Adds the key once <paramref name="delay"/> has passed; an earlier schedule for the key wins.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            var dueAt = time.GetUtcNow() + delay;
            if (_delayed.TryGetValue(key, out var existing))
            {
                if (existing.DueAt <= dueAt)
                {
                    return;
                }
                existing.Timer.Dispose();
            }
            var timer = time.CreateTimer(_ => FireDelayed(key, dueAt), null, delay, Timeout.InfiniteTimeSpan);
            _delayed[key] = (dueAt, timer);
        }
    }

    /// <summary>Adds the key after its backoff, which grows with each call until <see cref="Forget"/>.</summary>
    public TimeSpan AddRateLimited(string key)
    {
        TimeSpan delay;
        lock (_gate)
        {
            var failures = _failures.GetValueOrDefault(key) + 1;
            _failures[key] = failures;
            delay = Backoff(failures);
        }
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Clears the key's failure count (call after a successful pass).</summary>
    public void Forget(string key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    public int Failures(string key)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    /// <summary>Waits for a key and marks it in process; the caller must call <see cref="Done"/> with it.</summary>
    public async Task<string> TakeAsync(CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken);
        lock (_gate)
        {
            var key = _ready.Dequeue();
            _queued.Remove(key);
            _processing.Add(key);
            return key;
        }
    }

    public void Done(string key)
    {
        bool requeue;
        lock (_gate)
        {
            _processing.Remove(key);
            requeue = _dirty.Remove(key);
        }
        if (requeue)
        {
            Add(key);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var (_, timer) in _delayed.Values)
            {
                timer.Dispose();
            }
            _delayed.Clear();
        }
        _available.Dispose();
    }

    private TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(failures - 1, 30);
        var ticks = Math.Min(options.BackoffBase.Ticks * (1L << exponent), options.BackoffCap.Ticks);
        return TimeSpan.FromTicks(Math.Max(ticks, 0));
    }

    private void FireDelayed(string key, DateTimeOffset dueAt)
    {
        lock (_gate)
        {
            // A later, earlier-due schedule replaced this one: only the current timer may add the key.
            if (!_delayed.TryGetValue(key, out var entry) || entry.DueAt != dueAt)
            {
                return;
            }
            entry.Timer.Dispose();
            _delayed.Remove(key);
        }
        Add(key);
    }
}
