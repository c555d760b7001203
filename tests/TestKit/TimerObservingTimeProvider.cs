namespace Mirage.TestKit;

/// <summary>
/// A clock that tells how many timers (and so <c>Task.Delay</c>s) have been created on it, delegating everything to
/// <paramref name="inner"/> (usually a FakeTimeProvider). A test advances the fake clock only once the code under
/// test has registered its delay; advancing earlier would move time before the delay starts counting.
/// </summary>
public sealed class TimerObservingTimeProvider(TimeProvider inner) : TimeProvider
{
    private int _created;

    /// <summary>Timers created so far; read after <see cref="CreateTimer"/> has registered the timer with the inner clock.</summary>
    public int TimersCreated => Volatile.Read(ref _created);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = inner.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _created);
        return timer;
    }
}
