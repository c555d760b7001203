namespace Mirage.Aws.Resilience;

/// <summary>
/// A token bucket every call of one service takes a token from, refilled by a TimeProvider timer ten times a second.
/// When the service throttles, the bucket is emptied and refills at half the rate, down to 1/<see cref="MaxSlowdown"/>
/// of it; each run of <see cref="RecoveryAfter"/> answered calls wins back a step, so a throttled account is never
/// hammered and a quiet one returns to full speed. (System.Threading.RateLimiting's TokenBucketRateLimiter refills by
/// the wall clock even when replenished by hand, so it can neither be slowed down nor driven by a TimeProvider.)
/// </summary>
public sealed class AdaptiveRateLimiter : IDisposable
{
    /// <summary>The slowest the bucket gets: a refill every 16th period.</summary>
    public const int MaxSlowdown = 16;

    /// <summary>Answered calls without throttling that win back one step of speed.</summary>
    public const int RecoveryAfter = 20;

    private const int TicksPerSecond = 10;

    private readonly SemaphoreSlim _tokens;
    private readonly int _burst;
    private readonly int _tokensPerTick;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private int _slowdown = 1;
    private long _ticks;
    private int _answered;

    public AdaptiveRateLimiter(double requestsPerSecond, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(requestsPerSecond, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _burst = burst;
        // Ten refills a second, or fewer and of one token each when the rate is below ten a second.
        _tokensPerTick = Math.Max(1, (int)Math.Round(requestsPerSecond / TicksPerSecond));
        var period = TimeSpan.FromSeconds(_tokensPerTick / requestsPerSecond);
        _tokens = new SemaphoreSlim(burst, burst);
        _timer = time.CreateTimer(_ => Tick(), null, period, period);
    }

    /// <summary>1 at full speed; n when the bucket refills every n-th period.</summary>
    public int Slowdown
    {
        get
        {
            lock (_gate)
            {
                return _slowdown;
            }
        }
    }

    /// <summary>Tokens in the bucket now.</summary>
    public int Available => _tokens.CurrentCount;

    /// <summary>Waits for a token (waiters are served as tokens come; a cancelled wait takes none).</summary>
    public Task AcquireAsync(CancellationToken cancellationToken) => _tokens.WaitAsync(cancellationToken);

    /// <summary>The service throttled a call: no burst continues, and the bucket refills at half the rate.</summary>
    public void Throttled()
    {
        lock (_gate)
        {
            _answered = 0;
            _slowdown = Math.Min(_slowdown * 2, MaxSlowdown);
        }
        while (_tokens.Wait(0))
        {
        }
    }

    /// <summary>The service answered a call without throttling it.</summary>
    public void Answered()
    {
        lock (_gate)
        {
            if (_slowdown > 1 && ++_answered >= RecoveryAfter)
            {
                _slowdown /= 2;
                _answered = 0;
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _tokens.Dispose();
    }

    private void Tick()
    {
        lock (_gate)
        {
            if (++_ticks % _slowdown != 0)
            {
                return;
            }
            var room = _burst - _tokens.CurrentCount;
            if (room > 0)
            {
                _tokens.Release(Math.Min(room, _tokensPerTick));
            }
        }
    }
}
