using Mirage.Aws.Tests.Moto;
using Mirage.Model.Backend;
using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;

namespace Mirage.Aws.Tests.Backend;

/// <summary>
/// Sleep and wake in AWS mode through the real reconciler service against moto: the task is stopped with the reason
/// Mirage recognises, so neither the crash logic nor recovery takes it for a failure, and a wake runs one task.
/// Routes are only inspected: moto's 10.x task addresses are never contacted.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AwsModeSleepWakeTests(MotoFixture moto) : IAsyncLifetime
{
    private readonly AwsScenario _scenario = new(moto);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => new(_scenario.InitializeAsync(Token));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_sleeping_environments_task_is_stopped_with_mirages_reason_and_a_wake_runs_exactly_one_new_task()
    {
        await using var mirage = new AwsModeHost(moto.Endpoint, AwsModeHost.ConfigFor(_scenario.Network));
        await mirage.StartAsync(Token);
        await mirage.LaunchAsync("napper", "main", "web");
        await AwsModeHost.EventuallyAsync(() => Task.FromResult(mirage.Routes.Current.FindByKey("napper") is { Sleeping: false } r ? r : null), "the route of napper");
        var first = Assert.Single(await _scenario.TasksAsync(EcsTaskStatus.Running, Token))["taskArn"]!.GetValue<string>();

        var now = TimeProvider.System.GetUtcNow();
        await IntentUpdates.SleepAsync(mirage.Store, "napper", new EnvironmentEvent(now, CauseReasons.Slept, "Asleep: put to sleep by the test"), onlyRevision: null, Token);

        await AwsModeHost.EventuallyAsync(async () => (await _scenario.TasksAsync(EcsTaskStatus.Running, Token)).Count == 0 ? "" : null, "the task to stop");
        var stopped = Assert.Single(await _scenario.TasksAsync(EcsTaskStatus.Stopped, Token));
        Assert.Equal(first, stopped["taskArn"]!.GetValue<string>());
        Assert.Equal(StopReasons.Sleeping, stopped["stoppedReason"]!.GetValue<string>());
        var asleep = await AwsModeHost.EventuallyAsync(async () =>
            await mirage.Store.GetStatusAsync("napper", Token) is { State: LifecycleState.Sleeping } s ? s : null, "the Sleeping status");
        Assert.True(mirage.Routes.Current.FindByKey("napper") is { Sleeping: true, WakeFailure: null }, "the route must stay, marked sleeping");
        Assert.Equal(0, asleep.Restarts);
        Assert.DoesNotContain(asleep.Events, e => e.Message.Contains("unexpectedly", StringComparison.Ordinal) || e.Reason == "Recovered");

        await IntentUpdates.WakeAsync(mirage.Store, "napper", new EnvironmentEvent(TimeProvider.System.GetUtcNow(), CauseReasons.Woken, "Woken by the test"), Token);
        // A second wake (another replica's Edge) writes nothing.
        await IntentUpdates.WakeAsync(mirage.Store, "napper", new EnvironmentEvent(TimeProvider.System.GetUtcNow(), CauseReasons.Woken, "Woken again"), Token);

        var awake = await AwsModeHost.EventuallyAsync(() => Task.FromResult(mirage.Routes.Current.FindByKey("napper") is { Sleeping: false } r ? r : null), "the route to serve again");
        var running = Assert.Single(await _scenario.TasksAsync(EcsTaskStatus.Running, Token));
        Assert.NotEqual(first, running["taskArn"]!.GetValue<string>());
        Assert.Equal(running["taskArn"]!.GetValue<string>(), awake.TaskId);
        var status = await AwsModeHost.EventuallyAsync(async () =>
            await mirage.Store.GetStatusAsync("napper", Token) is { State: LifecycleState.Running } s ? s : null, "the Running status");
        Assert.Single(status.Events, e => e.Reason == CauseReasons.Woken);
        Assert.Single(status.Slept, i => i.To is not null);
        Assert.Equal(2, (await _scenario.TasksAsync(EcsTaskStatus.Running, Token)).Count + (await _scenario.TasksAsync(EcsTaskStatus.Stopped, Token)).Count);
    }
}
