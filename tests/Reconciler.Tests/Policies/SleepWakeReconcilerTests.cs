using Mirage.Model.Backend;
using Mirage.Model.Configuration;
using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;
using Mirage.Reconciler.Tests.Reconciling;

namespace Mirage.Reconciler.Tests.Policies;

/// <summary>Sleep and wake through real reconcile passes over the file store, on a manual clock.</summary>
public sealed class SleepWakeReconcilerTests : IDisposable
{
    private static readonly LifecyclePolicy SleepsAfterAnHour = new(SleepAfter: TimeSpan.FromHours(1));

    private readonly ReconcilerHarness _h = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Sleep_after_requeues_for_its_deadline_and_then_stops_the_tasks_with_the_sleep_reason_keeping_the_route()
    {
        await _h.LaunchAsync("nap", SleepsAfterAnHour, "web");
        var next = (await _h.RunAsync("nap")).RequeueAfter;
        var task = Assert.Single(_h.Backend.Tasks);
        Assert.Equal(ConditionStatus.True, (await _h.StatusAsync("nap")).Find(ConditionTypes.Sleep)!.Status);
        Assert.True(next <= TimeSpan.FromHours(1) && next > TimeSpan.FromMinutes(59), $"requeued after {next}");

        _h.Clock.Advance(next!.Value);
        await _h.PassAsync("nap");
        var intent = (await _h.Store.GetAsync("nap", Token))!;
        Assert.True(intent.Asleep);
        Assert.Equal(CauseReasons.Slept, intent.Cause!.Reason);

        await _h.PassAsync("nap");
        var status = await _h.StatusAsync("nap");
        Assert.Equal(LifecycleState.Sleeping, status.State);
        Assert.Equal(StopReasons.Sleeping, _h.Backend.Tasks.Single(t => t.Arn == task.Arn).StoppedReason);
        var route = _h.Publisher.Current.Find("nap");
        Assert.True(route is { Sleeping: true, WakeFailure: null } && route.Destinations.Count == 0, $"route {route}");
        Assert.Contains(status.Events, e => e.Reason == CauseReasons.Slept && e.Message == "Asleep: no request for 1h0m0s (sleep_after)");
        Assert.Equal(0, status.Restarts);
        var interval = Assert.Single(status.Slept);
        Assert.Null(interval.To);
    }

    [Fact]
    public async Task A_request_in_the_window_keeps_it_awake()
    {
        await _h.LaunchAsync("busy", SleepsAfterAnHour, "web");
        await _h.RunAsync("busy");
        _h.Clock.Advance(TimeSpan.FromMinutes(50));
        _h.Access.Request("busy");
        _h.Clock.Advance(TimeSpan.FromMinutes(15));

        await _h.PassAsync("busy");

        Assert.False((await _h.Store.GetAsync("busy", Token))!.Asleep);
        Assert.Equal(LifecycleState.Running, (await _h.StatusAsync("busy")).State);
    }

    [Fact]
    public async Task A_wake_launches_once_then_routes_to_the_new_task_and_closes_the_sleep_interval()
    {
        await _h.LaunchAsync("nap", LifecyclePolicy.Default, "web");
        await _h.RunAsync("nap");
        await SleepAsync("nap");
        var launchesAsleep = _h.Backend.RunTaskCalls;
        _h.Clock.Advance(TimeSpan.FromHours(3));

        var cause = new EnvironmentEvent(_h.Clock.GetUtcNow(), CauseReasons.Woken, "Woken by a request to nap.example");
        await IntentUpdates.WakeAsync(_h.Store, "nap", cause, Token);
        // A second wake request (another request, another replica) writes nothing.
        var revision = (await _h.Store.GetAsync("nap", Token))!.Revision;
        await IntentUpdates.WakeAsync(_h.Store, "nap", cause, Token);
        Assert.Equal(revision, (await _h.Store.GetAsync("nap", Token))!.Revision);

        await _h.PassAsync("nap");
        Assert.Equal(LifecycleState.Launching, (await _h.StatusAsync("nap")).State);
        Assert.True(_h.Publisher.Current.Find("nap")!.Sleeping, "the route must stay asleep until the tasks run");
        await _h.PassAsync("nap");
        Assert.Equal(launchesAsleep + 1, _h.Backend.RunTaskCalls);
        _h.Backend.StartAll();
        await _h.PassAsync("nap");

        var status = await _h.StatusAsync("nap");
        Assert.Equal(LifecycleState.Running, status.State);
        Assert.False(_h.Publisher.Current.Find("nap")!.Sleeping);
        Assert.Contains(status.Events, e => e.Reason == CauseReasons.Woken && e.Message == "Woken by a request to nap.example");
        var interval = Assert.Single(status.Slept);
        Assert.NotNull(interval.To);
        var slept = SleepInterval.SleptSince(status.Slept, _h.Clock.GetUtcNow().AddDays(-7), _h.Clock.GetUtcNow());
        Assert.True(slept >= TimeSpan.FromHours(3) && slept < TimeSpan.FromHours(3) + TimeSpan.FromSeconds(1), $"slept {slept}");
    }

    [Fact]
    public async Task A_wake_that_cannot_launch_fails_and_marks_the_sleeping_route_with_the_reason()
    {
        await _h.LaunchAsync("gone", LifecyclePolicy.Default, "missing-web");
        await _h.SaveAsleepAsync("gone");
        await _h.PassAsync("gone");
        Assert.Equal(LifecycleState.Sleeping, (await _h.StatusAsync("gone")).State);

        await IntentUpdates.WakeAsync(_h.Store, "gone", new EnvironmentEvent(_h.Clock.GetUtcNow(), CauseReasons.Woken, "Woken through the API"), Token);
        await _h.PassAsync("gone");

        var status = await _h.StatusAsync("gone");
        Assert.Equal(LifecycleState.Failed, status.State);
        var route = _h.Publisher.Current.Find("gone")!;
        Assert.True(route.Sleeping);
        Assert.Contains("missing-web", route.WakeFailure, StringComparison.Ordinal);
        Assert.Contains(status.Events, e => e.Reason == "Failed" && e.Message.Contains("missing-web", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sleeping_environment_is_still_purged_after_its_idle_window()
    {
        await _h.LaunchAsync("idle", new LifecyclePolicy(IdleWindow: TimeSpan.FromHours(2)), "web");
        await _h.RunAsync("idle");
        await SleepAsync("idle");

        _h.Clock.Advance(TimeSpan.FromHours(2));
        await _h.PassAsync("idle");

        var intent = (await _h.Store.GetAsync("idle", Token))!;
        Assert.Equal(DesiredState.Terminated, intent.Desired);
        Assert.Equal(CauseReasons.IdlePurged, intent.Cause!.Reason);
        await _h.PassAsync("idle");
        Assert.Equal(LifecycleState.Terminated, (await _h.StatusAsync("idle")).State);
        Assert.Null(_h.Publisher.Current.Find("idle"));
    }

    [Fact]
    public async Task A_restarted_mirage_puts_the_sleeping_route_back()
    {
        await _h.LaunchAsync("nap", LifecyclePolicy.Default, "web");
        await _h.RunAsync("nap");
        await SleepAsync("nap");
        _h.Routes.Remove("nap");

        await _h.PassAsync("nap");

        Assert.True(_h.Publisher.Current.Find("nap")!.Sleeping);
        Assert.Equal(LifecycleState.Sleeping, (await _h.StatusAsync("nap")).State);
        Assert.DoesNotContain(_h.Backend.Tasks, t => t.LastStatus == EcsTaskStatus.Running);
    }

    private async Task SleepAsync(string subdomain)
    {
        await _h.SaveAsleepAsync(subdomain);
        await _h.PassAsync(subdomain);
        Assert.Equal(LifecycleState.Sleeping, (await _h.StatusAsync(subdomain)).State);
    }
}
