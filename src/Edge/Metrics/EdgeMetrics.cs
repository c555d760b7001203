using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Mirage.Model.Routing;

namespace Mirage.Edge.Metrics;

/// <summary>
/// The Edge's instruments on the <c>Mirage.Edge</c> meter. Requests are counted per route key and status class in
/// plain arrays (an Interlocked add per request) and exported through an observable counter, so the request path
/// never touches the metrics SDK for them; the upstream latency histogram is recorded once per forwarded request with
/// one pre-built tag (the status class), no environment: at thousands of environments a per-environment histogram
/// would be tens of thousands of series.
/// </summary>
public sealed class EdgeMetrics
{
    public const string MeterName = "Mirage.Edge";

    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    private readonly KeyValuePair<string, object?>[] _statusClassTags =
        [.. StatusClasses.Select(c => new KeyValuePair<string, object?>("status_class", c))];
    private readonly ConcurrentDictionary<string, long[]> _requests = new(StringComparer.Ordinal);
    private readonly Histogram<double> _upstreamDuration;
    private readonly RouteTablePublisher _routes;

    public EdgeMetrics(IMeterFactory meterFactory, RouteTablePublisher routes)
    {
        _routes = routes;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableCounter("mirage.edge.requests", CollectRequests, unit: "{request}",
            description: "Requests to environments by environment (route key) and status class");
        _upstreamDuration = meter.CreateHistogram<double>("mirage.edge.upstream.duration", unit: "s",
            description: "How long forwarding a request to an environment took, until its response was sent, by status class");
    }

    /// <summary>Counts one answered request of the route <paramref name="routeKey"/> (its subdomain or pattern).</summary>
    public void RequestAnswered(string routeKey, int status)
    {
        var counts = _requests.GetOrAdd(routeKey, static _ => new long[StatusClasses.Length]);
        Interlocked.Increment(ref counts[ClassIndex(status)]);
    }

    /// <summary>Counts a forwarded request and records how long forwarding took.</summary>
    public void Forwarded(string routeKey, int status, TimeSpan duration)
    {
        RequestAnswered(routeKey, status);
        _upstreamDuration.Record(duration.TotalSeconds, _statusClassTags[ClassIndex(status)]);
    }

    private static int ClassIndex(int status) => Math.Clamp(status / 100 - 1, 0, StatusClasses.Length - 1);

    // Runs at collection only. Environments that no longer have a route are dropped, so series of removed
    // environments end instead of piling up over months of short-lived previews.
    private IEnumerable<Measurement<long>> CollectRequests()
    {
        var table = _routes.Current;
        var measurements = new List<Measurement<long>>(_requests.Count * 2);
        foreach (var (key, counts) in _requests)
        {
            if (table.FindByKey(key) is null)
            {
                _requests.TryRemove(new KeyValuePair<string, long[]>(key, counts));
                continue;
            }
            for (var i = 0; i < counts.Length; i++)
            {
                var count = Volatile.Read(ref counts[i]);
                if (count > 0)
                {
                    measurements.Add(new Measurement<long>(count,
                        new KeyValuePair<string, object?>("environment", key), _statusClassTags[i]));
                }
            }
        }
        return measurements;
    }
}
