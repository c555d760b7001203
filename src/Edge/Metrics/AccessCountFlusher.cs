using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mirage.Model.Metrics;
using Mirage.Model.Routing;

namespace Mirage.Edge.Metrics;

/// <summary>
/// Every minute, hands the counts since the previous minute to every <see cref="IAccessCountSink"/> (CloudWatch in
/// AWS mode; none locally). Like mirage-ecs, every live route also gets a zero datapoint for the minute when it saw no
/// request, so its CloudWatch series has no gaps. A failing sink is logged and does not stop the others.
/// </summary>
public sealed partial class AccessCountFlusher(
    AccessCounters counters,
    RouteTablePublisher routes,
    IEnumerable<IAccessCountSink> sinks,
    TimeProvider time,
    ILogger<AccessCountFlusher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly IReadOnlyList<IAccessCountSink> _sinks = [.. sinks];

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

    /// <summary>One flush: the snapshot plus zero points, to every sink; returns what was published.</summary>
    public async Task<IReadOnlyList<AccessCountSample>> FlushAsync(CancellationToken cancellationToken)
    {
        var samples = Samples(counters.SnapshotAndReset(), routes.Current.Routes.Select(r => r.Subdomain), time.GetUtcNow());
        foreach (var sink in _sinks)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                await sink.PublishAsync(samples, timeout.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogPublishFailed(sink.GetType().Name, samples.Count, e);
            }
        }
        return samples;
    }

    /// <summary>The counted samples, plus (key, this minute, 0) for each live route key with no sample.</summary>
    public static IReadOnlyList<AccessCountSample> Samples(IReadOnlyList<AccessCountSample> counted, IEnumerable<string> liveKeys, DateTimeOffset now)
    {
        var minute = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        var seen = counted.Select(s => s.RouteKey).ToHashSet(StringComparer.Ordinal);
        return [.. counted, .. liveKeys.Distinct(StringComparer.Ordinal).Where(k => !seen.Contains(k)).Select(k => new AccessCountSample(k, minute, 0))];
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Publishing {Count} access counts to {Sink} failed")]
    private partial void LogPublishFailed(string sink, int count, Exception exception);
}
