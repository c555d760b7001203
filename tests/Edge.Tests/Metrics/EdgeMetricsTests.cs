using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Mirage.Edge.Metrics;
using Mirage.Model.Routing;

namespace Mirage.Edge.Tests.Metrics;

/// <summary><see cref="EdgeMetrics"/>: requests by route key and status class, read when collected; latency by status class only.</summary>
public sealed class EdgeMetricsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Requests_are_counted_by_route_key_and_status_class_and_a_removed_route_s_series_end()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var routes = new RouteTablePublisher();
        routes.Publish([Route("alpha"), Route("feature-*")]);
        var metrics = new EdgeMetrics(factory, routes);
        using var requests = new MetricCollector<long>(factory, EdgeMetrics.MeterName, "mirage.edge.requests");
        using var durations = new MetricCollector<double>(factory, EdgeMetrics.MeterName, "mirage.edge.upstream.duration");

        metrics.Forwarded("alpha", 200, TimeSpan.FromMilliseconds(3));
        metrics.Forwarded("alpha", 204, TimeSpan.FromMilliseconds(4));
        metrics.Forwarded("alpha", 503, TimeSpan.FromMilliseconds(5));
        metrics.RequestAnswered("alpha", 403);
        metrics.Forwarded("feature-*", 302, TimeSpan.FromMilliseconds(1));

        requests.RecordObservableInstruments();
        Assert.Equal(
            ["alpha 2xx 2", "alpha 4xx 1", "alpha 5xx 1", "feature-* 3xx 1"],
            requests.GetMeasurementSnapshot().Select(m => $"{m.Tags["environment"]} {m.Tags["status_class"]} {m.Value}").Order(StringComparer.Ordinal));
        Assert.Equal(
            ["2xx 0.003", "2xx 0.004", "3xx 0.001", "5xx 0.005"],
            durations.GetMeasurementSnapshot().Select(m => $"{m.Tags["status_class"]} {m.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}").Order(StringComparer.Ordinal));
        Assert.All(durations.GetMeasurementSnapshot(), m => Assert.DoesNotContain("environment", m.Tags.Keys));

        routes.Publish([Route("feature-*")]);
        requests.Clear();
        requests.RecordObservableInstruments();
        Assert.Equal(["feature-* 3xx 1"], requests.GetMeasurementSnapshot().Select(m => $"{m.Tags["environment"]} {m.Tags["status_class"]} {m.Value}"));
    }

    private static Route Route(string key) =>
        new(key, Now, "task-" + key, new Dictionary<int, IReadOnlyList<RouteDestination>> { [80] = [new RouteDestination("127.0.0.1", 8080)] });
}
