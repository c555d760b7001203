using Mirage.Aws.CloudWatch;
using Mirage.Model.Metrics;

namespace Mirage.Aws.Metrics;

/// <summary>
/// The access count from CloudWatch, as mirage-ecs reads it: one GetMetricData query, Sum over one period as long as
/// the window (whole minutes), from now - window to now; every replica's counts are included.
/// </summary>
public sealed class CloudWatchAccessCountReader(CloudWatchClient cloudWatch, TimeProvider time) : IAccessCountReader
{
    public async Task<long> GetAccessCountAsync(string subdomain, TimeSpan window, CancellationToken cancellationToken)
    {
        // CloudWatch periods are multiples of 60 s; mirage-ecs sent period 0 for shorter windows and got an error.
        var minutes = Math.Max(1, (long)window.TotalMinutes);
        var period = checked((int)(minutes * 60));
        var end = time.GetUtcNow();
        var start = end.AddSeconds(-period);
        var results = await cloudWatch.GetMetricDataAsync(
            [new MetricDataQuery
            {
                Id = "request_count",
                MetricStat = new MetricStat(
                    new MetricId(CloudWatchAccessCountSink.Namespace, CloudWatchAccessCountSink.MetricName, [new MetricDimension(CloudWatchAccessCountSink.Dimension, subdomain)]),
                    period,
                    "Sum"),
            }],
            start,
            end,
            cancellationToken);
        return (long)results.Sum(r => r.Sum);
    }
}
