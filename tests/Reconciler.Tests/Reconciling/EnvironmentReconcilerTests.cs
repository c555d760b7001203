using Mirage.Model.Backend;
using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;
using Mirage.Reconciler.Reconciling;

namespace Mirage.Reconciler.Tests.Reconciling;

public sealed class EnvironmentReconcilerTests : IDisposable
{
    private readonly ReconcilerHarness _h = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_launch_runs_one_task_per_task_definition_and_routes_only_once_all_run()
    {
        await _h.LaunchAsync("feature-x", "web", "worker");
        var next = await _h.PassAsync("feature-x");

        Assert.Equal(2, _h.Backend.Tasks.Count);
        Assert.Equal(LifecycleState.Launching, (await _h.StatusAsync("feature-x")).State);
        Assert.Equal(ReconcileResult.After(new ReconcilerOptions().TransitionPollInterval, "Launching"), next);
        Assert.Null(_h.Publisher.Current.Find("feature-x"));

        var web = _h.Backend.Tasks.Single(t => t.TaskDefinitionArn.EndsWith("/web", StringComparison.Ordinal));
        Assert.Equal(
            ["SUBDOMAIN=feature-x", "SUBDOMAINRAW=feature-x", "GIT_BRANCH=feature/x", "OWNER=alice"],
            web.Overrides.Single(o => o.Name == "app").Environment.Select(e => $"{e.Name}={e.Value}"));
        Assert.Equal(["app", "sidecar"], web.Overrides.Select(o => o.Name));
        Assert.Equal(
            ["Subdomain=ZmVhdHVyZS14", "ManagedBy=Mirage", "branch=feature/x", "owner=alice", "MirageRevision=1", "MirageTaskIndex=0"],
            web.Tags.Select(t => $"{t.Key}={t.Value}"));
        Assert.Equal("mirage", web.StartedBy);

        _h.Backend.StartAll();
        await _h.PassAsync("feature-x");

        var status = await _h.StatusAsync("feature-x");
        Assert.Equal(LifecycleState.Running, status.State);
        Assert.Equal(ConditionStatus.True, status.Find(ConditionTypes.Ready)!.Status);
        Assert.Equal(1, status.ObservedRevision);
        var route = _h.Publisher.Current.Find("feature-x");
        Assert.NotNull(route);
        Assert.Equal(2, route.Destinations[80].Count);
        Assert.Contains(status.Events, e => e.Reason == "RouteLive");
    }

    [Fact]
    public async Task Repeating_a_pass_after_a_crash_never_starts_a_second_task()
    {
        await _h.LaunchAsync("app", "web");
        await _h.PassAsync("app");
        Assert.Single(_h.Backend.Tasks);

        // A crash after RunTask but before the status was written leaves no record of the task but its tags.
        await _h.Store.SaveStatusAsync(new EnvironmentStatus { Subdomain = "app" }, Token);
        await _h.PassAsync("app");
        await _h.PassAsync("app");
        Assert.Single(_h.Backend.Tasks);
        Assert.Contains(_h.Backend.Tasks.Single().Arn, (await _h.StatusAsync("app")).Tasks);

        _h.Backend.StartAll();
        await _h.PassAsync("app");
        Assert.Equal(LifecycleState.Running, (await _h.StatusAsync("app")).State);
    }

    [Fact]
    public async Task A_new_revision_keeps_the_old_route_until_its_tasks_run_then_stops_the_old_ones()
    {
        await _h.LaunchAsync("app", "web:1");
        await _h.PassAsync("app");
        _h.Backend.StartAll();
        await _h.PassAsync("app");
        var oldRoute = _h.Publisher.Current.Find("app")!;

        await _h.LaunchAsync("app", "web:2");
        await _h.PassAsync("app");
        Assert.Equal(LifecycleState.Relaunching, (await _h.StatusAsync("app")).State);
        Assert.Equal(2, _h.Backend.Tasks.Count(t => t.DesiredStatus == EcsTaskStatus.Running));
        Assert.Equal(oldRoute.TaskId, _h.Publisher.Current.Find("app")!.TaskId);

        string? routedTaskWhenOldStopped = null;
        _h.Backend.BeforeStop = _ => routedTaskWhenOldStopped = _h.Publisher.Current.Find("app")?.TaskId;
        _h.Backend.StartAll();
        await _h.PassAsync("app");

        var running = _h.Backend.Tasks.Where(t => t.DesiredStatus == EcsTaskStatus.Running).ToList();
        var newTask = Assert.Single(running);
        Assert.EndsWith("web:2", newTask.TaskDefinitionArn, StringComparison.Ordinal);
        Assert.Equal(newTask.Arn, routedTaskWhenOldStopped);
        Assert.Equal(LifecycleState.Running, (await _h.StatusAsync("app")).State);
        Assert.Equal(2, (await _h.StatusAsync("app")).ObservedRevision);
    }

    [Fact]
    public async Task Terminate_removes_the_route_before_stopping_tasks()
    {
        await _h.LaunchAsync("app", "web");
        await _h.PassAsync("app");
        _h.Backend.StartAll();
        await _h.PassAsync("app");
        Assert.NotNull(_h.Publisher.Current.Find("app"));

        var routedWhenStopped = true;
        _h.Backend.BeforeStop = _ => routedWhenStopped = _h.Publisher.Current.Find("app") is not null;
        await _h.TerminateAsync("app");
        await _h.PassAsync("app");
        Assert.False(routedWhenStopped);
        Assert.All(_h.Backend.Tasks, t => Assert.Equal(EcsTaskStatus.Stopped, t.DesiredStatus));

        await _h.PassAsync("app");
        Assert.Equal(LifecycleState.Terminated, (await _h.StatusAsync("app")).State);
    }

    [Fact]
    public async Task A_terminated_intent_is_forgotten_after_the_retention()
    {
        await _h.LaunchAsync("app", "web");
        await _h.PassAsync("app");
        await _h.TerminateAsync("app");
        await _h.PassAsync("app");
        var next = await _h.PassAsync("app");
        Assert.Equal("TerminatedRetention", next.Reason);
        Assert.NotNull(next.RequeueAfter);
        Assert.True(next.RequeueAfter <= TimeSpan.FromHours(1));
        _h.Clock.Advance(TimeSpan.FromHours(1));
        await _h.PassAsync("app");
        Assert.Null(await _h.Store.GetAsync("app", Token));
    }

    [Fact]
    public async Task A_task_that_exits_is_reported_with_its_exit_code_relaunched_then_marked_failed()
    {
        var h = new ReconcilerHarness(new ReconcilerOptions { MaxRestarts = 2 });
        using (h)
        {
            await h.LaunchAsync("app", "web");
            for (var attempt = 0; attempt < 3; attempt++)
            {
                await h.PassAsync("app");
                h.Backend.StartAll();
                await h.PassAsync("app");
                Assert.NotNull(h.Publisher.Current.Find("app"));
                var live = h.Backend.Tasks.Single(t => t.DesiredStatus == EcsTaskStatus.Running);
                h.Backend.Crash(live.Arn, exitCode: 3);
            }
            await h.PassAsync("app");

            var status = await h.StatusAsync("app");
            Assert.Equal(LifecycleState.Failed, status.State);
            Assert.Null(h.Publisher.Current.Find("app"));
            Assert.Equal(3, h.Backend.Tasks.Count);
            Assert.Equal(2, status.Restarts);
            Assert.Contains(status.Events, e => e.Reason == "TaskStopped" && e.Message.Contains("exited with code 3", StringComparison.Ordinal));
            Assert.Contains(status.Events, e => e.Reason == "Failed");
            Assert.Equal(ConditionStatus.False, status.Find(ConditionTypes.Ready)!.Status);

            // Failed stays failed until a new launch.
            await h.PassAsync("app");
            Assert.Equal(3, h.Backend.Tasks.Count);
            await h.LaunchAsync("app", "web");
            await h.PassAsync("app");
            Assert.Equal(4, h.Backend.Tasks.Count);
            Assert.Equal(LifecycleState.Launching, (await h.StatusAsync("app")).State);
        }
    }

    [Fact]
    public async Task An_unknown_task_definition_fails_the_revision_with_the_reason()
    {
        await _h.LaunchAsync("app", "missing-def");
        await _h.PassAsync("app");
        var status = await _h.StatusAsync("app");
        Assert.Equal(LifecycleState.Failed, status.State);
        Assert.Contains("missing-def", status.Find(ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tagged_tasks_without_an_intent_are_adopted_never_stopped()
    {
        // As mirage-ecs tags them: Subdomain (base64url), ManagedBy, one tag per parameter; no revision tags.
        var foreign = _h.Backend.AddForeign("bGVnYWN5", "legacy-web:7", new Mirage.Model.Backend.EcsTag("branch", "old/branch"));
        await _h.PassAsync("legacy");

        var intent = await _h.Store.GetAsync("legacy", Token);
        Assert.NotNull(intent);
        Assert.Equal(IntentSource.Adopted, intent.Source);
        Assert.Equal(["legacy-web:7"], intent.TaskDefinitions);
        Assert.Equal("old/branch", intent.Branch);

        await _h.PassAsync("legacy");
        await _h.PassAsync("legacy");
        Assert.Single(_h.Backend.Tasks);
        Assert.Equal(EcsTaskStatus.Running, _h.Backend.Tasks.Single().DesiredStatus);
        Assert.Equal(foreign.Arn, _h.Publisher.Current.Find("legacy")!.TaskId);
        Assert.Equal(LifecycleState.Running, (await _h.StatusAsync("legacy")).State);
    }

    [Fact]
    public async Task Launching_over_a_mirage_ecs_task_replaces_it_without_downtime()
    {
        _h.Backend.AddForeign("YXBw", "web:1");
        await _h.LaunchAsync("app", "web:1");
        await _h.PassAsync("app");
        Assert.Equal(2, _h.Backend.Tasks.Count(t => t.DesiredStatus == EcsTaskStatus.Running));
        _h.Backend.StartAll();
        await _h.PassAsync("app");
        var running = Assert.Single(_h.Backend.Tasks, t => t.DesiredStatus == EcsTaskStatus.Running);
        Assert.Equal("1", running.Tag("MirageRevision"));
    }

    [Fact]
    public async Task Wildcard_environments_get_a_pattern_route()
    {
        await _h.LaunchAsync("foo-*", "web");
        await _h.PassAsync("foo-*");
        _h.Backend.StartAll();
        await _h.PassAsync("foo-*");
        Assert.Equal("foo-*", _h.Publisher.Current.Find("foo-bar")!.Subdomain);
    }

    [Fact]
    public void Client_tokens_are_stable_distinct_and_within_the_ecs_limit()
    {
        var token = EnvironmentReconciler.ClientToken("feature-x", 3, 0, 0);
        Assert.Equal(token, EnvironmentReconciler.ClientToken("feature-x", 3, 0, 0));
        Assert.NotEqual(token, EnvironmentReconciler.ClientToken("feature-x", 3, 1, 0));
        Assert.NotEqual(token, EnvironmentReconciler.ClientToken("feature-x", 4, 0, 0));
        Assert.NotEqual(token, EnvironmentReconciler.ClientToken("feature-x", 3, 0, 1));
        Assert.InRange(token.Length, 1, 64);
    }
}
