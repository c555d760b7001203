using Microsoft.Extensions.Time.Testing;
using Mirage.Reconciler.Queue;
using Mirage.TestKit;

namespace Mirage.Reconciler.Tests.Queue;

public sealed class WorkQueueTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Duplicate_adds_merge_into_one_item()
    {
        using var queue = new WorkQueue(new FakeTimeProvider(TestClock.Start));
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");
        Assert.Equal(2, queue.Count);
        Assert.Equal("a", await queue.TakeAsync(Token));
        Assert.Equal("b", await queue.TakeAsync(Token));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_key_added_while_in_process_comes_back_only_after_done()
    {
        using var queue = new WorkQueue(new FakeTimeProvider(TestClock.Start));
        queue.Add("a");
        var key = await queue.TakeAsync(Token);
        queue.Add("a");
        Assert.Equal(0, queue.Count);
        queue.Done(key);
        Assert.Equal(1, queue.Count);
        Assert.Equal("a", await queue.TakeAsync(Token));
    }

    [Fact]
    public async Task Backoff_doubles_per_failure_up_to_the_cap_and_resets_on_forget()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        using var queue = new WorkQueue(clock, new WorkQueueOptions { BackoffBase = TimeSpan.FromSeconds(1), BackoffCap = TimeSpan.FromSeconds(5) });
        Assert.Equal(TimeSpan.FromSeconds(1), queue.AddRateLimited("a"));
        Assert.Equal(TimeSpan.FromSeconds(2), queue.AddRateLimited("a"));
        Assert.Equal(TimeSpan.FromSeconds(4), queue.AddRateLimited("a"));
        Assert.Equal(TimeSpan.FromSeconds(5), queue.AddRateLimited("a"));
        Assert.Equal(TimeSpan.FromSeconds(5), queue.AddRateLimited("a"));
        Assert.Equal(0, queue.Count);
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, queue.Count);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("a", await queue.TakeAsync(Token));
        queue.Forget("a");
        Assert.Equal(TimeSpan.FromSeconds(1), queue.AddRateLimited("a"));
    }

    [Fact]
    public void The_earliest_delayed_add_wins()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        using var queue = new WorkQueue(clock);
        queue.AddAfter("a", TimeSpan.FromMinutes(10));
        queue.AddAfter("a", TimeSpan.FromMinutes(1));
        queue.AddAfter("a", TimeSpan.FromMinutes(5));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, queue.Count);
        clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task A_key_is_never_processed_by_two_workers_at_once()
    {
        using var queue = new WorkQueue(TimeProvider.System);
        var inProcess = 0;
        var maxInProcess = 0;
        var processed = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                string key;
                try
                {
                    key = await queue.TakeAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                var now = Interlocked.Increment(ref inProcess);
                InterlockedMax(ref maxInProcess, now);
                await Task.Yield();
                Interlocked.Decrement(ref inProcess);
                Interlocked.Increment(ref processed);
                queue.Done(key);
            }
        })).ToList();
        for (var i = 0; i < 2000; i++)
        {
            queue.Add("same");
            if (i % 50 == 0)
            {
                await Task.Delay(1, Token);
            }
        }
        await Eventually.HoldsAsync(() => Task.FromResult(queue.Count == 0), TimeSpan.FromSeconds(30),
            () => $"{queue.Count} keys still queued", Token, TimeSpan.FromMilliseconds(5));
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        Assert.Equal(1, maxInProcess);
        Assert.InRange(processed, 1, 2000);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
