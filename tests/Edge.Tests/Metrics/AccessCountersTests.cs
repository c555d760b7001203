using Microsoft.Extensions.Time.Testing;
using Mirage.Edge.Metrics;
using Mirage.Model.Metrics;
using Mirage.TestKit;

namespace Mirage.Edge.Tests.Metrics;

public sealed class AccessCountersTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 10, 0, 30, TimeSpan.Zero);

    [Fact]
    public void Counts_fall_into_minute_buckets_and_snapshots_return_only_what_is_new()
    {
        var clock = new FakeTimeProvider(Start);
        var counters = new AccessCounters(clock);

        counters.Increment("foo");
        counters.Increment("foo");
        counters.Increment("bar-*");
        clock.Advance(TimeSpan.FromMinutes(1));
        counters.Increment("foo");

        var first = counters.SnapshotAndReset().OrderBy(s => s.RouteKey).ThenBy(s => s.Minute).ToList();
        Assert.Equal(
        [
            new AccessCountSample("bar-*", new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero), 1),
            new AccessCountSample("foo", new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero), 2),
            new AccessCountSample("foo", new DateTimeOffset(2026, 1, 1, 10, 1, 0, TimeSpan.Zero), 1),
        ], first);

        Assert.Empty(counters.SnapshotAndReset());
        counters.Increment("foo");
        Assert.Equal([new AccessCountSample("foo", new DateTimeOffset(2026, 1, 1, 10, 1, 0, TimeSpan.Zero), 1)], counters.SnapshotAndReset());
    }

    [Fact]
    public void Recent_counts_cover_the_window_and_survive_snapshots()
    {
        var clock = new FakeTimeProvider(Start);
        var counters = new AccessCounters(clock);
        for (var minute = 0; minute < 120; minute++)
        {
            counters.Increment("foo");
            clock.Advance(TimeSpan.FromMinutes(1));
        }
        counters.SnapshotAndReset();

        // Now 12:00:30; one request in each minute 10:00 … 11:59.
        Assert.Equal(0, counters.GetRecent("foo", TimeSpan.FromSeconds(20)));
        Assert.Equal(1, counters.GetRecent("foo", TimeSpan.FromMinutes(1)));
        Assert.Equal(60, counters.GetRecent("foo", TimeSpan.FromHours(1)));
        Assert.Equal(120, counters.GetRecent("foo", TimeSpan.FromDays(1)));
        Assert.Equal(0, counters.GetRecent("unknown", TimeSpan.FromDays(1)));
    }

    [Fact]
    public void Buckets_older_than_the_retention_are_forgotten()
    {
        var clock = new FakeTimeProvider(Start);
        var counters = new AccessCounters(clock);
        counters.Increment("old");
        counters.Increment("busy");
        clock.Advance(TimeSpan.FromHours(23));
        counters.Increment("busy");
        clock.Advance(TimeSpan.FromHours(2));
        counters.SnapshotAndReset();

        Assert.Equal(0, counters.GetRecent("old", TimeSpan.FromDays(7)));
        Assert.Equal(1, counters.GetRecent("busy", TimeSpan.FromDays(7)));
    }

    [Fact]
    public async Task Concurrent_increments_across_minute_boundaries_are_all_counted()
    {
        var clock = new FakeTimeProvider(Start);
        var counters = new AccessCounters(clock);
        const int Threads = 4;
        const int PerThread = 50_000;
        long snapshotted = 0;

        var workers = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                counters.Increment(i % 2 == 0 ? "a" : "b");
                if (t == 0 && i % 5_000 == 0)
                {
                    clock.Advance(TimeSpan.FromMinutes(1));
                    Interlocked.Add(ref snapshotted, counters.SnapshotAndReset().Sum(s => s.Count));
                }
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        await Task.WhenAll(workers);
        snapshotted += counters.SnapshotAndReset().Sum(s => s.Count);

        Assert.Equal(Threads * PerThread, snapshotted);
        Assert.Equal(Threads * PerThread, counters.GetRecent("a", TimeSpan.FromDays(1)) + counters.GetRecent("b", TimeSpan.FromDays(1)));
    }

    [Fact]
    public async Task The_local_reader_answers_from_the_counters()
    {
        var clock = new FakeTimeProvider(Start);
        var counters = new AccessCounters(clock);
        counters.Increment("foo-*");
        counters.Increment("foo-*");

        var count = await new LocalAccessCountReader(counters).GetAccessCountAsync("foo-*", TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);

        Assert.Equal(2, count);
    }

    [Fact]
    public void Hourly_counts_put_each_minute_in_its_clock_hour_oldest_first_with_the_current_hour_last()
    {
        var clock = new FakeTimeProvider(Start);
        var counters = new AccessCounters(clock);
        var hourStart = new DateTimeOffset(Start.Year, Start.Month, Start.Day, Start.Hour, 0, 0, TimeSpan.Zero);
        clock.SetUtcNow(hourStart.AddMinutes(59));
        counters.Increment("foo");
        counters.Increment("foo");
        clock.SetUtcNow(hourStart.AddHours(1));
        counters.Increment("foo");
        counters.Increment("bar");
        clock.SetUtcNow(hourStart.AddHours(3).AddMinutes(30));
        counters.Increment("foo");

        Assert.Equal([0, 0, 0, 2, 1, 0, 1], counters.GetHourly("foo", 7));
        Assert.Equal(24, counters.GetHourly("foo", 24).Length);
        Assert.Equal(4, counters.GetHourly("foo", 24).Sum());
        Assert.Equal(new long[24], counters.GetHourly("nobody", 24));
    }
}
