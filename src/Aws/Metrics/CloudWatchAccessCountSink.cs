using Mirage.Aws.CloudWatch;
using Mirage.Model.Metrics;

namespace Mirage.Aws.Metrics;

/// <summary>
/// Publishes access counts as mirage-ecs does, so existing dashboards keep working: namespace <c>mirage-ecs</c>,
/// metric <c>RequestCount</c>, dimension <c>subdomain</c>, one datapoint per minute bucket, no unit.
/// </summary>
public sealed class CloudWatchAccessCountSink(CloudWatchClient cloudWatch) : IAccessCountSink
{
    public const string Namespace = "mirage-ecs";
    public const string MetricName = "RequestCount";
    public const string Dimension = "subdomain";

    public async Task PublishAsync(IReadOnlyList<AccessCountSample> samples, CancellationToken cancellationToken)
    {
        if (samples.Count == 0)
        {
            return;
        }
        await cloudWatch.PutMetricDataAsync(Namespace, [.. samples.Select(s => new MetricDatum
        {
            MetricName = MetricName,
            Dimensions = [new MetricDimension(Dimension, s.RouteKey)],
            Timestamp = s.Minute,
            Value = s.Count,
        })], cancellationToken);
    }
}
