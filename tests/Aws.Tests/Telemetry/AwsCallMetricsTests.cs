using System.Diagnostics.Metrics;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Mirage.Aws.Errors;
using Mirage.Aws.Telemetry;
using Mirage.Aws.Tests.Ecs;
using Mirage.Aws.Tests.Moto;

namespace Mirage.Aws.Tests.Telemetry;

/// <summary>
/// The AWS call metrics against moto, through <see cref="FaultProxy"/>, which records every HTTP request it answered:
/// each attempt is counted once, by service, operation and outcome, for the typed clients and the AWSSDK ones alike.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AwsCallMetricsTests(EcsScenario scenario) : IClassFixture<EcsScenario>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_attempt_of_a_typed_client_is_counted_with_its_outcome_throttled_and_server_error_included()
    {
        await using var proxy = await FaultProxy.StartAsync(scenario.Moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint);
        using var calls = Collector<long>(aws, "mirage.aws.calls");
        using var durations = Collector<double>(aws, "mirage.aws.call.duration");
        proxy.Inject(FaultKind.Throttle, 2, "DescribeTaskDefinition");
        proxy.Inject(FaultKind.ServerError, 1, "DescribeTaskDefinition");
        proxy.Inject(FaultKind.ClientError, 1, "ListTasks");

        await aws.Ecs.DescribeTaskDefinitionAsync("web", Token);
        await Assert.ThrowsAsync<AwsServiceException>(() => aws.Ecs.ListTasksAsync(
            new Mirage.Aws.Ecs.Wire.ListTasksRequest { Cluster = EcsScenario.Cluster, StartedBy = "nobody" }, Token));

        Assert.Equal([400, 400, 500, 200], proxy.Requests.Where(r => r.Operation == "DescribeTaskDefinition").Select(r => r.Status));
        Assert.Equal(2, Count(calls, "ECS", "DescribeTaskDefinition", AwsCallOutcome.Throttled));
        Assert.Equal(1, Count(calls, "ECS", "DescribeTaskDefinition", AwsCallOutcome.ServerError));
        Assert.Equal(1, Count(calls, "ECS", "DescribeTaskDefinition", AwsCallOutcome.Success));
        Assert.Equal(1, Count(calls, "ECS", "ListTasks", AwsCallOutcome.ClientError));
        Assert.Equal(proxy.Requests.Count, calls.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(proxy.Requests.Count, durations.GetMeasurementSnapshot().Count);
        Assert.All(durations.GetMeasurementSnapshot(), d => Assert.True(d.Value >= 0));
    }

    [Fact]
    public async Task Each_attempt_of_the_AWSSDK_S3_client_is_counted_by_operation_and_outcome()
    {
        await using var proxy = await FaultProxy.StartAsync(scenario.Moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint);
        using var calls = Collector<long>(aws, "mirage.aws.calls");
        var s3 = aws.Services.GetRequiredService<IAmazonS3>();
        const string bucket = "mirage-metrics";

        await s3.PutBucketAsync(bucket, Token);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a.json", ContentBody = "{}" }, Token);
        proxy.Inject(FaultKind.ServerError, 1);
        await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Token));
        proxy.Inject(FaultKind.Throttle, 1);
        await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Token));
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Token);

        Assert.Single(listed.S3Objects);
        Assert.Equal(1, Count(calls, "S3", "PutBucket", AwsCallOutcome.Success));
        Assert.Equal(1, Count(calls, "S3", "PutObject", AwsCallOutcome.Success));
        Assert.Equal(1, Count(calls, "S3", "ListObjectsV2", AwsCallOutcome.ServerError));
        Assert.Equal(1, Count(calls, "S3", "ListObjectsV2", AwsCallOutcome.Throttled));
        Assert.Equal(1, Count(calls, "S3", "ListObjectsV2", AwsCallOutcome.Success));
        // One measurement per HTTP attempt the proxy answered (the SDK's own retries are off: MaxErrorRetry = 0).
        Assert.Equal(proxy.Requests.Count, calls.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    // Scoped to this provider's meter factory: other tests' clients, running at the same time, are not counted.
    private static MetricCollector<T> Collector<T>(AwsClients aws, string instrument) where T : struct =>
        new(aws.Services.GetRequiredService<IMeterFactory>(), AwsCallTelemetry.MeterName, instrument);

    private static long Count(MetricCollector<long> calls, string service, string operation, string outcome) =>
        calls.GetMeasurementSnapshot()
            .Where(m => Equals(m.Tags["service"], service) && Equals(m.Tags["operation"], operation) && Equals(m.Tags["outcome"], outcome))
            .Sum(m => m.Value);
}
