using System.Threading.RateLimiting;

namespace Mirage.Aws.Resilience;

/// <summary>
/// A token bucket every call of one service takes a token from (System.Threading.RateLimiting's, replenished on a
/// TimeProvider timer). When the service throttles, the bucket is emptied and refilled at half the rate, down to
/// 1/<see cref="MaxSlowdown"/> of it; each run of <see cref="RecoveryAfter"/> answered calls wins back a step, so a
/// throttled account is never hammered and a quiet one returns to full speed.
/// </summary>
public sealed class AdaptiveRateLimiter : IDisposable
{
    /// <summary>The slowest the bucket gets: a refill every 16th period.</summary>
    public const int MaxSlowdown = 16;

    /// <summary>Answered calls without throttling that win back one step of speed.</summary>
    public const int RecoveryAfter = 20;

    private const int TicksPerSecond = 10;

    private readonly TokenBucketRateLimiter _bucket;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private int _slowdown = 1;
    private long _ticks;
    private int _answered;

    public AdaptiveRateLimiter(double requestsPerSecond, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(requestsPerSecond, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        // Ten refills a second, or fewer and of one token each when the rate is below ten a second.
        var tokensPerTick = Math.Max(1, (int)Math.Round(requestsPerSecond / TicksPerSecond));
        var period = TimeSpan.FromSeconds(tokensPerTick / requestsPerSecond);
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = tokensPerTick,
            // Refills are driven by the TimeProvider timer below; the bucket must not second-guess them by the wall clock.
            ReplenishmentPeriod = TimeSpan.FromTicks(1),
            AutoReplenishment = false,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
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

    /// <summary>Waits for a token; dispose the lease when the call is done.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        var lease = await _bucket.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new InvalidOperationException("the AWS rate limiter refused a call (its queue is full)");
        }
        return lease;
    }

    /// <summary>The service throttled a call: no burst continues, and the bucket refills at half the rate.</summary>
    public void Throttled()
    {
        lock (_gate)
        {
            _answered = 0;
            _slowdown = Math.Min(_slowdown * 2, MaxSlowdown);
        }
        if (_bucket.GetStatistics()?.CurrentAvailablePermits is > 0 and var available)
        {
            _bucket.AttemptAcquire((int)available).Dispose();
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
        _bucket.Dispose();
    }

    private void Tick()
    {
        bool refill;
        lock (_gate)
        {
            refill = ++_ticks % _slowdown == 0;
        }
        if (refill)
        {
            _bucket.TryReplenish();
        }
    }
}
