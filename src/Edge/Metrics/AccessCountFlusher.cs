using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mirage.Model.Metrics;
using Mirage.Model.Routing;

namespace Mirage.Edge.Metrics;

/// <summary>
/// Every minute, hands the counts since the previous minute to every <see cref="IAccessCountSink"/> (CloudWatch in
/// AWS mode; none locally). Like mirage-ecs, every live route also gets a zero datapoint for the minute when it saw no
/// request, so its CloudWatch series has no gaps. Counts are marked reported only after every sink took them: a
/// failed publish keeps them for the next flush, so the idle purge never sees an environment in use as idle. A
/// graceful shutdown flushes once more. A failing sink is logged and does not stop the others.
/// </summary>
public sealed partial class AccessCountFlusher(
    AccessCounters counters,
    RouteTablePublisher routes,
    IEnumerable<IAccessCountSink> sinks,
    TimeProvider time,
    ILogger<AccessCountFlusher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>How long the flush at shutdown may take.</summary>
    public static readonly TimeSpan ShutdownFlushTimeout = TimeSpan.FromSeconds(10);

    private readonly IReadOnlyList<IAccessCountSink> _sinks = [.. sinks];

    // The periodic flush and the one at shutdown must not publish the same counts twice.
    private readonly SemaphoreSlim _flushing = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_sinks.Count == 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_sinks.Count == 0)
        {
            return;
        }
        // The loop has stopped; what was counted since its last tick would otherwise be lost with the process.
        using var deadline = new CancellationTokenSource(ShutdownFlushTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var published = await FlushAsync(timeout.Token);
            LogShutdownFlush(published.Count(s => s.Count > 0));
        }
        catch (OperationCanceledException)
        {
            LogShutdownFlushCancelled();
        }
    }

    /// <summary>
    /// One flush: the unreported counts plus zero points, to every sink; marked reported only when every sink took
    /// them. Returns what was sent.
    /// </summary>
    public async Task<IReadOnlyList<AccessCountSample>> FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            var pending = counters.Snapshot();
            var samples = Samples(pending.Samples, routes.Current.Routes.Select(r => r.Subdomain), time.GetUtcNow());
            var failed = 0;
            foreach (var sink in _sinks)
            {
                try
                {
                    using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30), time);
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
                    await sink.PublishAsync(samples, timeout.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failed++;
                    LogPublishFailed(sink.GetType().Name, samples.Count, e);
                }
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (failed == 0)
            {
                counters.MarkReported(pending);
            }
            return samples;
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <summary>The counted samples, plus (key, this minute, 0) for each live route key with no sample.</summary>
    public static IReadOnlyList<AccessCountSample> Samples(IReadOnlyList<AccessCountSample> counted, IEnumerable<string> liveKeys, DateTimeOffset now)
    {
        var minute = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        var seen = counted.Select(s => s.RouteKey).ToHashSet(StringComparer.Ordinal);
        return [.. counted, .. liveKeys.Distinct(StringComparer.Ordinal).Where(k => !seen.Contains(k)).Select(k => new AccessCountSample(k, minute, 0))];
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Publishing {Count} access counts to {Sink} failed; they are kept for the next flush")]
    private partial void LogPublishFailed(string sink, int count, Exception exception);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Access counts flushed at shutdown ({Count} non-zero datapoints)")]
    private partial void LogShutdownFlush(int count);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Access counts could not be flushed at shutdown in time")]
    private partial void LogShutdownFlushCancelled();
}
