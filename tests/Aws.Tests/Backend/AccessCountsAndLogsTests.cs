using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mirage.Aws.Metrics;
using Mirage.Aws.Tests.Moto;
using Mirage.Edge.Metrics;
using Mirage.Model.Backend;
using Mirage.Model.Metrics;
using Mirage.Model.Routing;
using Mirage.TestKit;

namespace Mirage.Aws.Tests.Backend;

[Collection(MotoCollection.Name)]
public sealed class AccessCountsAndLogsTests(MotoFixture moto) : IAsyncLifetime
{
    private readonly AwsScenario _scenario = new(moto);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => new(_scenario.InitializeAsync(Token));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Counts_flushed_to_CloudWatch_are_read_back_as_the_windows_sum_with_zero_points_for_idle_routes()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        // Recent minutes: CloudWatch (and moto) answer for datapoints inside the queried window only.
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddMinutes(-3));
        var counters = new AccessCounters(clock);
        var routes = new RouteTablePublisher();
        routes.Publish([
            new Route("busy", clock.GetUtcNow(), "arn:task/busy", new Dictionary<int, IReadOnlyList<RouteDestination>>()),
            new Route("idle-*", clock.GetUtcNow(), "arn:task/idle", new Dictionary<int, IReadOnlyList<RouteDestination>>())]);
        var sink = new CloudWatchAccessCountSink(aws.CloudWatch);
        var flusher = new AccessCountFlusher(counters, routes, [sink], clock, NullLogger<AccessCountFlusher>.Instance);
        for (var i = 0; i < 5; i++)
        {
            counters.Increment("busy");
        }

        var first = await flusher.FlushAsync(Token);
        clock.Advance(TimeSpan.FromMinutes(1));
        counters.Increment("busy");
        counters.Increment("busy");
        var second = await flusher.FlushAsync(Token);

        Assert.Contains(first, s => s is { RouteKey: "busy", Count: 5 });
        Assert.Contains(first, s => s is { RouteKey: "idle-*", Count: 0 });
        Assert.Equal(0, first.Single(s => s.RouteKey == "idle-*").Minute.Second);
        Assert.Contains(second, s => s is { RouteKey: "busy", Count: 2 });
        var reader = new CloudWatchAccessCountReader(aws.CloudWatch, TimeProvider.System);
        Assert.Equal(7, await reader.GetAccessCountAsync("busy", TimeSpan.FromMinutes(10), Token));
        Assert.Equal(0, await reader.GetAccessCountAsync("idle-*", TimeSpan.FromMinutes(10), Token));
        Assert.Equal(0, await reader.GetAccessCountAsync("unknown", TimeSpan.FromMinutes(10), Token));
    }

    [Fact]
    public async Task Counts_that_three_replicas_flush_for_the_same_route_and_minute_add_up_for_the_idle_policy()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddMinutes(-3));
        var routes = new RouteTablePublisher();
        routes.Publish([new Route("shared", clock.GetUtcNow(), "arn:task/shared", new Dictionary<int, IReadOnlyList<RouteDestination>>())]);
        // Each replica's Edge counts its own requests and flushes them with the same sink; nothing is shared but CloudWatch.
        var replicas = Enumerable.Range(0, 3).Select(_ => new AccessCounters(clock)).ToList();
        for (var r = 0; r < replicas.Count; r++)
        {
            for (var i = 0; i <= r; i++)
            {
                replicas[r].Increment("shared");
            }
        }

        foreach (var counters in replicas)
        {
            await new AccessCountFlusher(counters, routes, [new CloudWatchAccessCountSink(aws.CloudWatch)], clock, NullLogger<AccessCountFlusher>.Instance).FlushAsync(Token);
        }

        // What IdleProbe and /api/access read: the Sum over all publishers, 1 + 2 + 3.
        var reader = new CloudWatchAccessCountReader(aws.CloudWatch, TimeProvider.System);
        Assert.Equal(6, await reader.GetAccessCountAsync("shared", TimeSpan.FromMinutes(10), Token));
    }

    [Fact]
    public async Task The_sink_writes_mirage_ecs_namespace_metric_and_dimension()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        var minute = TimeProvider.System.GetUtcNow().AddMinutes(-2);
        minute = new DateTimeOffset(minute.Year, minute.Month, minute.Day, minute.Hour, minute.Minute, 0, TimeSpan.Zero);

        await new CloudWatchAccessCountSink(aws.CloudWatch).PublishAsync([new AccessCountSample("feature-x", minute, 3)], Token);

        var listed = await _scenario.Setup.QueryAsync("monitoring", "Action=ListMetrics&Version=2010-08-01&Namespace=mirage-ecs", Token);
        var names = listed.Descendants().Where(e => e.Name.LocalName == "MetricName").Select(e => e.Value).ToList();
        var dimensions = listed.Descendants().Where(e => e.Name.LocalName == "Dimensions").SelectMany(d => d.Descendants().Where(e => e.Name.LocalName is "Name" or "Value")).Select(e => e.Value).ToList();
        Assert.Equal(["RequestCount"], names);
        Assert.Equal(["subdomain", "feature-x"], dimensions);
    }

    [Fact]
    public async Task Logs_of_awslogs_containers_are_read_from_the_task_streams_since_a_time_oldest_first()
    {
        await using var mirage = new AwsModeHost(moto.Endpoint, AwsModeHost.ConfigFor(_scenario.Network));
        var backend = mirage.Services.GetRequiredService<IEcsBackend>();
        var arn = await _scenario.RunMirageEcsStyleTaskAsync("logs", "main", Token);
        var task = Assert.Single(await backend.ListTasksAsync(TaskDesiredStatus.Running, Token));
        Assert.Equal(arn, task.Arn);
        var start = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() - 600);
        await _scenario.Setup.LogsAsync("CreateLogGroup", new JsonObject { ["logGroupName"] = "/mirage/web" }, Token);
        foreach (var (container, offset) in new[] { ("app", 0), ("sidecar", 1) })
        {
            var stream = $"app/{container}/{task.ShortId}";
            await _scenario.Setup.LogsAsync("CreateLogStream", new JsonObject { ["logGroupName"] = "/mirage/web", ["logStreamName"] = stream }, Token);
            var events = new JsonArray();
            for (var i = 0; i < 3; i++)
            {
                events.Add(new JsonObject { ["timestamp"] = start.AddSeconds((i * 10) + offset).ToUnixTimeMilliseconds(), ["message"] = $"{container} {i}" });
            }
            await _scenario.Setup.LogsAsync("PutLogEvents", new JsonObject { ["logGroupName"] = "/mirage/web", ["logStreamName"] = stream, ["logEvents"] = events }, Token);
        }

        var all = await backend.ReadLogsAsync(task, null, Token);
        var recent = await backend.ReadLogsAsync(task, start.AddSeconds(10), Token);

        Assert.Equal(["app 0", "sidecar 0", "app 1", "sidecar 1", "app 2", "sidecar 2"], all.Select(l => l.Message));
        Assert.Equal(start, all[0].Timestamp);
        Assert.Equal("sidecar", all[1].Container);
        Assert.Equal(["app 1", "sidecar 1", "app 2", "sidecar 2"], recent.Select(l => l.Message));
    }

    [Fact]
    public async Task A_missing_task_definition_is_TaskDefinitionNotFoundException()
    {
        await using var mirage = new AwsModeHost(moto.Endpoint, AwsModeHost.ConfigFor(_scenario.Network));
        var backend = mirage.Services.GetRequiredService<IEcsBackend>();

        var error = await Assert.ThrowsAsync<TaskDefinitionNotFoundException>(() => backend.DescribeTaskDefinitionAsync("nope:3", Token));
        var found = await backend.DescribeTaskDefinitionAsync("web", Token);

        Assert.Equal("nope:3", error.TaskDefinition);
        Assert.Equal("web:1", found.ShortName);
        Assert.Equal([80], found.Containers.Single(c => c.Name == "app").ContainerPorts);
        Assert.Equal("awslogs", found.Containers[0].LogConfiguration!.LogDriver);
    }
}
