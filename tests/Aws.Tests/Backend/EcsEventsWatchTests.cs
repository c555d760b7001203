using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mirage.Aws.Tests.Moto;
using Mirage.Model.Backend;
using Mirage.Model.Configuration;
using Mirage.Model.Lifecycle;

namespace Mirage.Aws.Tests.Backend;

/// <summary>
/// The watch (ecs.events_queue_url) against moto's SQS with real-shaped ECS Task State Change events. The resync is
/// an hour away in every test, so whatever happens is the watch's doing.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class EcsEventsWatchTests(MotoFixture moto) : IAsyncLifetime
{
    private readonly AwsScenario _scenario = new(moto);
    private readonly EcsEventsScenario _events = new(moto);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _scenario.InitializeAsync(Token);
        await _events.CreateQueueAsync(Token);
    }

    public ValueTask DisposeAsync()
    {
        _events.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_task_stopped_on_AWS_and_announced_by_an_event_is_replaced_and_its_route_moved_without_the_resync()
    {
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint, enforceEcsLimits: true);
        await using var mirage = WatchingHost(proxy.Endpoint);
        await mirage.StartAsync(Token);
        await mirage.LaunchAsync("watched", "main", "web");
        var first = await AwsModeHost.EventuallyAsync(() => Task.FromResult(mirage.Routes.Current.FindByKey("watched")), "the first route");

        // ECS stops the task (a failed health check, a Spot reclaim…) and EventBridge puts the change on the queue.
        await _scenario.Setup.EcsAsync("StopTask", new JsonObject { ["cluster"] = AwsScenario.Cluster, ["task"] = first.TaskId, ["reason"] = "Task failed ELB health checks" }, Token);
        var stopped = (await _scenario.TasksAsync(EcsTaskStatus.Stopped, Token)).Single(t => t!["taskArn"]!.GetValue<string>() == first.TaskId);
        proxy.ClearRecords();
        var clock = Stopwatch.StartNew();
        await _events.SendAsync(EcsTaskStateChange.For(stopped, version: 5), Token);

        var moved = await AwsModeHost.EventuallyAsync(() => Task.FromResult(
            mirage.Routes.Current.FindByKey("watched") is { } route && route.TaskId != first.TaskId ? route : null), "the route to move to a new task");
        var elapsed = clock.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"route moved {elapsed.TotalMilliseconds:F0} ms after the event was sent");

        var running = Assert.Single(await _scenario.TasksAsync(EcsTaskStatus.Running, Token));
        Assert.Equal(moved.TaskId, running["taskArn"]!.GetValue<string>());
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"the route moved {elapsed} after the event");
        var status = await mirage.Store.GetStatusAsync("watched", Token);
        Assert.Contains(status!.Events, e => e.Reason == "TaskStopped" && e.Message.Contains("Task failed ELB health checks", StringComparison.Ordinal));
        // The event carried the task: no listing and no describe of it, just the relaunch.
        var calls = ScaleScenario.EcsCalls(proxy);
        Assert.Equal(0, calls.GetValueOrDefault("ListTasks"));
        Assert.Equal(1, calls.GetValueOrDefault("RunTask"));
        await AwsModeHost.EventuallyAsync(async () => await _events.PendingAsync(Token) == 0 ? "" : null, "the event to be deleted");
    }

    [Fact]
    public async Task A_storm_of_duplicate_and_out_of_order_events_for_one_environment_costs_one_pass_and_no_ECS_call()
    {
        var logs = new RecordedLogs();
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint, enforceEcsLimits: true);
        await using var mirage = WatchingHost(proxy.Endpoint, logs);
        await mirage.StartAsync(Token);
        // The first resync queues every environment; let it finish first, so the only pass left to count is the storm's.
        await AwsModeHost.EventuallyAsync(() => Task.FromResult(logs.Entries.FirstOrDefault(e => e.EventId.Id == 1302)), "the first resync");
        await mirage.LaunchAsync("stormy", "main", "web");
        await AwsModeHost.EventuallyAsync(async () => mirage.Routes.Current.FindByKey("stormy") is not null &&
            await mirage.Store.GetStatusAsync("stormy", Token) is { State: LifecycleState.Running } ? "" : null, "stormy to run");
        var task = Assert.Single(await _scenario.TasksAsync(EcsTaskStatus.Running, Token));
        var passesBefore = Passes(logs, "stormy");
        proxy.ClearRecords();

        // Thirty deliveries of three versions of the same RUNNING task, newest first, each delivered many times.
        foreach (var version in Enumerable.Range(0, 30).Select(i => 3 - (i % 3)))
        {
            await _events.SendAsync(EcsTaskStateChange.For(task, version), Token);
        }
        await AwsModeHost.EventuallyAsync(async () => await _events.PendingAsync(Token) == 0 ? "" : null, "the storm to be consumed");
        await AwsModeHost.EventuallyAsync(() => Task.FromResult(Passes(logs, "stormy") > passesBefore ? "" : null), "the pass the news causes");

        Assert.Equal(1, Passes(logs, "stormy") - passesBefore);
        Assert.Empty(ScaleScenario.EcsCalls(proxy));
        Assert.Equal(task["taskArn"]!.GetValue<string>(), mirage.Routes.Current.FindByKey("stormy")!.TaskId);
    }

    [Fact]
    public async Task A_malformed_or_foreign_event_is_logged_deleted_and_skipped_and_the_next_one_still_acts()
    {
        var logs = new RecordedLogs();
        await using var mirage = WatchingHost(moto.Endpoint, logs);
        await mirage.StartAsync(Token);
        await mirage.LaunchAsync("sturdy", "main", "web");
        var first = await AwsModeHost.EventuallyAsync(() => Task.FromResult(mirage.Routes.Current.FindByKey("sturdy")), "the first route");

        await _events.SendAsync("{ this is not json", Token);
        await _events.SendAsync("""{"detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","detail":{"instance-id":"i-1"}}""", Token);
        await _events.SendAsync("""{"detail-type":"ECS Task State Change","source":"aws.ecs","detail":{"lastStatus":"STOPPED"}}""", Token);
        await _scenario.Setup.EcsAsync("StopTask", new JsonObject { ["cluster"] = AwsScenario.Cluster, ["task"] = first.TaskId, ["reason"] = "Scaling activity" }, Token);
        var stopped = (await _scenario.TasksAsync(EcsTaskStatus.Stopped, Token)).Single(t => t!["taskArn"]!.GetValue<string>() == first.TaskId);
        await _events.SendAsync(EcsTaskStateChange.For(stopped, version: 7), Token);

        await AwsModeHost.EventuallyAsync(() => Task.FromResult(
            mirage.Routes.Current.FindByKey("sturdy") is { } route && route.TaskId != first.TaskId ? route : null), "the route to move after the bad messages");
        await AwsModeHost.EventuallyAsync(async () => await _events.PendingAsync(Token) == 0 ? "" : null, "every message to be deleted");
        var skipped = logs.Entries.Where(e => e.EventId.Id == 2101 && e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Equal(3, skipped.Count);
        Assert.Contains(skipped, m => m.Contains("not JSON", StringComparison.Ordinal));
        Assert.Contains(skipped, m => m.Contains("EC2 Instance State-change Notification", StringComparison.Ordinal));
        Assert.Contains(skipped, m => m.Contains("with a taskArn", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_queue_that_does_not_exist_is_logged_and_the_resync_still_keeps_environments_running()
    {
        var logs = new RecordedLogs();
        var config = AwsModeHost.ConfigFor(_scenario.Network);
        config = config with { Ecs = config.Ecs with { EventsQueueUrl = _events.QueueUrl + "-gone" } };
        await using var mirage = new AwsModeHost(moto.Endpoint, config, logs: logs);
        await mirage.StartAsync(Token);

        await mirage.LaunchAsync("resilient", "main", "web");

        await AwsModeHost.EventuallyAsync(() => Task.FromResult(mirage.Routes.Current.FindByKey("resilient")), "the route without the watch");
        var warning = await AwsModeHost.EventuallyAsync(() => Task.FromResult(logs.Entries.FirstOrDefault(e => e.EventId.Id == 2100)), "the queue failure to be logged");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("-gone", warning.Message, StringComparison.Ordinal);
    }

    private static int Passes(RecordedLogs logs, string subdomain) =>
        logs.Entries.Count(e => e.EventId.Id == 1200 && e.Message.StartsWith(subdomain + " ", StringComparison.Ordinal));

    private AwsModeHost WatchingHost(Uri endpoint, RecordedLogs? logs = null)
    {
        var config = AwsModeHost.ConfigFor(_scenario.Network);
        config = config with { Ecs = config.Ecs with { EventsQueueUrl = _events.QueueUrl } };
        return new AwsModeHost(endpoint, config, logs: logs, reconciler: o => o.ResyncInterval = TimeSpan.FromHours(1));
    }
}
