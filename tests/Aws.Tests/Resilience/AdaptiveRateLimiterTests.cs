using Microsoft.Extensions.Time.Testing;
using Mirage.Aws.Resilience;
using Mirage.TestKit;

namespace Mirage.Aws.Tests.Resilience;

public sealed class AdaptiveRateLimiterTests
{
    private readonly FakeTimeProvider _clock = new(TestClock.Start);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Calls_beyond_the_burst_wait_for_the_next_refill()
    {
        using var limiter = new AdaptiveRateLimiter(requestsPerSecond: 10, burst: 2, _clock);
        await limiter.AcquireAsync(Token);
        await limiter.AcquireAsync(Token);

        var third = limiter.AcquireAsync(Token);
        var fourth = limiter.AcquireAsync(Token);
        Assert.False(third.IsCompleted);

        _clock.Advance(TimeSpan.FromMilliseconds(100));
        await third.WaitAsync(TimeSpan.FromSeconds(10), Token);
        Assert.False(fourth.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        await fourth.WaitAsync(TimeSpan.FromSeconds(10), Token);
    }

    [Fact]
    public void A_quiet_bucket_fills_up_to_its_burst_and_no_further()
    {
        using var limiter = new AdaptiveRateLimiter(requestsPerSecond: 20, burst: 5, _clock);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(limiter.AcquireAsync(Token).IsCompleted);
        }

        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(2, limiter.Available);
        for (var i = 0; i < 100; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }
        Assert.Equal(5, limiter.Available);
    }

    [Fact]
    public async Task Throttling_empties_the_bucket_and_halves_the_refill_rate_until_calls_are_answered_again()
    {
        using var limiter = new AdaptiveRateLimiter(requestsPerSecond: 10, burst: 5, _clock);

        limiter.Throttled();
        Assert.Equal(2, limiter.Slowdown);
        Assert.Equal(0, limiter.Available);
        var next = limiter.AcquireAsync(Token);
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(next.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        await next.WaitAsync(TimeSpan.FromSeconds(10), Token);

        for (var i = 0; i < 10; i++)
        {
            limiter.Throttled();
        }
        Assert.Equal(AdaptiveRateLimiter.MaxSlowdown, limiter.Slowdown);

        for (var i = 0; i < AdaptiveRateLimiter.RecoveryAfter * 4; i++)
        {
            limiter.Answered();
        }
        Assert.Equal(1, limiter.Slowdown);
    }
}
