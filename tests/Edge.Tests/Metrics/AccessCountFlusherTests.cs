using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mirage.Edge.Metrics;
using Mirage.Model.Metrics;
using Mirage.Model.Routing;
using Mirage.TestKit;

namespace Mirage.Edge.Tests.Metrics;

public sealed class AccessCountFlusherTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 10, 0, 30, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A sink that records what it was given and fails while <see cref="Failing"/> is set.</summary>
    private sealed class RecordingSink : IAccessCountSink
    {
        public bool Failing { get; set; }

        public List<AccessCountSample> Published { get; } = [];

        public Task PublishAsync(IReadOnlyList<AccessCountSample> samples, CancellationToken cancellationToken)
        {
            if (Failing)
            {
                throw new HttpRequestException("CloudWatch is unreachable");
            }
            Published.AddRange(samples);
            return Task.CompletedTask;
        }
    }

    private static long Published(RecordingSink sink, string key) => sink.Published.Where(s => s.RouteKey == key).Sum(s => s.Count);

    [Fact]
    public async Task Counts_of_a_failed_publish_are_kept_and_sent_with_the_next_one()
    {
        var clock = new FakeTimeProvider(Start);
        var counters = new AccessCounters(clock);
        var sink = new RecordingSink { Failing = true };
        var flusher = new AccessCountFlusher(counters, new RouteTablePublisher(), [sink], clock, NullLogger<AccessCountFlusher>.Instance);
        counters.Increment("busy");
        counters.Increment("busy");

        await flusher.FlushAsync(Ct);
        Assert.Empty(sink.Published);

        sink.Failing = false;
        counters.Increment("busy");
        await flusher.FlushAsync(Ct);
        await flusher.FlushAsync(Ct);

        Assert.Equal(3, Published(sink, "busy"));
    }

    [Fact]
    public async Task A_graceful_shutdown_publishes_what_was_counted_since_the_last_tick()
    {
        var clock = new FakeTimeProvider(Start);
        var counters = new AccessCounters(clock);
        var sink = new RecordingSink();
        using var flusher = new AccessCountFlusher(counters, new RouteTablePublisher(), [sink], clock, NullLogger<AccessCountFlusher>.Instance);
        await flusher.StartAsync(Ct);
        counters.Increment("busy");
        counters.Increment("busy");

        await flusher.StopAsync(Ct);

        Assert.Equal(2, Published(sink, "busy"));
    }
}
