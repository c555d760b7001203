using Mirage.Model.Backend;

namespace Mirage.Reconciler.Reconciling;

/// <summary>
/// Lists Mirage's tasks for reconcile passes. Passes that start while a listing is under way, or right after one,
/// share it: a burst of keys costs one ListTasks, not one per key.
/// </summary>
public sealed class ObservedTasks(IEcsBackend backend, TimeProvider time)
{
    private readonly Lock _gate = new();
    private Task<TaskObservation>? _inFlight;
    private DateTimeOffset _inFlightStartedAt;
    private TaskObservation? _last;

    /// <summary>The latest observation, or null before the first listing.</summary>
    public TaskObservation? Last => Volatile.Read(ref _last);

    /// <summary>An observation that started at or after <paramref name="notBefore"/>.</summary>
    public Task<TaskObservation> GetAsync(DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_last is not null && _last.At >= notBefore)
            {
                return Task.FromResult(_last);
            }
            if (_inFlight is not null && _inFlightStartedAt >= notBefore)
            {
                return _inFlight.WaitAsync(cancellationToken);
            }
            _inFlightStartedAt = time.GetUtcNow();
            // The listing is shared, so one caller's cancellation must not cancel it for the others.
            var listing = ListAsync(_inFlightStartedAt);
            // A listing that failed before its first real await has already run its finally: it must not stay in flight.
            _inFlight = listing.IsCompleted ? null : listing;
            return listing.WaitAsync(cancellationToken);
        }
    }

    private async Task<TaskObservation> ListAsync(DateTimeOffset startedAt)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1), time);
            var running = await backend.ListTasksAsync(TaskDesiredStatus.Running, timeout.Token);
            var stopped = await backend.ListTasksAsync(TaskDesiredStatus.Stopped, timeout.Token);
            var observation = new TaskObservation(startedAt, running, stopped);
            lock (_gate)
            {
                if (_last is null || _last.At < startedAt)
                {
                    _last = observation;
                }
            }
            return observation;
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
}
