using Mirage.Aws.CloudWatch;
using Mirage.Aws.Tests.Moto;

namespace Mirage.Aws.Tests.CloudWatch;

[Collection(MotoCollection.Name)]
public sealed class CloudWatchClientTests(MotoFixture moto) : IAsyncLifetime
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await moto.ResetAsync(Token);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task More_than_1000_datapoints_are_chunked_and_GetMetricData_sums_them_all()
    {
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint);
        var now = TimeProvider.System.GetUtcNow();
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-10);
        var dimension = new MetricDimension("Subdomain", "feature-x");
        // A namespace of its own: other tests share this moto server and may write RequestCount too.
        var metricNamespace = $"Mirage/Access/{Guid.NewGuid():N}";
        var data = Enumerable.Range(0, 2500)
            .Select(i => new MetricDatum { MetricName = "RequestCount", Dimensions = [dimension], Timestamp = minute.AddMinutes(i % 3).AddSeconds(i % 50), Value = 2, Unit = "Count" })
            .ToList();

        var requests = await aws.CloudWatch.PutMetricDataAsync(metricNamespace, data, Token);
        var results = await aws.CloudWatch.GetMetricDataAsync(
            [
                new MetricDataQuery
                {
                    Id = "requests",
                    MetricStat = new MetricStat(new MetricId(metricNamespace, "RequestCount", [dimension]), 60, "Sum"),
                },
                new MetricDataQuery
                {
                    Id = "other",
                    MetricStat = new MetricStat(new MetricId(metricNamespace, "RequestCount", [new MetricDimension("Subdomain", "nobody")]), 60, "Sum"),
                },
            ],
            minute.AddMinutes(-5),
            minute.AddMinutes(10),
            Token);

        Assert.Equal(3, requests);
        Assert.Equal(3, proxy.Count("PutMetricData"));
        var series = Assert.Single(results, r => r.Id == "requests");
        Assert.Equal(5000, series.Sum);
        Assert.Equal(3, series.Values.Count);
        Assert.Equal(series.Timestamps.Order(), series.Timestamps);
        Assert.Equal(0, Assert.Single(results, r => r.Id == "other").Sum);
    }
}
