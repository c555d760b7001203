using Mirage.Model.Backend;
using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;
using Mirage.Reconciler.Reconciling;
using static Mirage.Reconciler.Tests.Reconciling.LifecycleTriggerRulesTests;

namespace Mirage.Reconciler.Tests.Reconciling;

public sealed class EnvironmentStatusBuilderTests
{
    private static readonly DateTimeOffset Then = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Then.AddMinutes(5);
    private static readonly EnvironmentIntent Intent = new() { Subdomain = "app", TaskDefinitions = ["web"], Revision = 2, CreatedAt = Then, UpdatedAt = Then };

    [Fact]
    public void A_running_routed_environment_is_ready_with_its_tasks_and_route_true()
    {
        var pass = Pass(Intent, Status(LifecycleState.Launching, revision: 0), [Task("t1", EcsTaskStatus.Running)]);
        pass.State = LifecycleState.Running;

        var status = EnvironmentStatusBuilder.Build(pass, routed: true, Now, maxEvents: 10);

        Assert.Equal(LifecycleState.Running, status.State);
        Assert.Equal(2, status.ObservedRevision);
        Assert.Equal(["arn:task/t1"], status.Tasks);
        Assert.Equal(
            [(ConditionTypes.Ready, ConditionStatus.True, "Running"), (ConditionTypes.TaskRunning, ConditionStatus.True, "TasksRunning"), (ConditionTypes.RouteProgrammed, ConditionStatus.True, "RouteLive")],
            status.Conditions.Select(c => (c.Type, c.Status, c.Reason)));
        Assert.Equal("1 of 1 tasks of revision 2 running", status.Find(ConditionTypes.TaskRunning)!.Message);
    }

    [Fact]
    public void A_condition_keeps_its_transition_time_until_its_status_flips()
    {
        var pass = Pass(Intent, Status(LifecycleState.Running), [Task("t1", EcsTaskStatus.Running)]);
        pass.State = LifecycleState.Running;
        var first = EnvironmentStatusBuilder.Build(pass, routed: true, Then, maxEvents: 10);

        var again = Pass(Intent, first, [Task("t1", EcsTaskStatus.Running)]);
        again.State = LifecycleState.Running;
        var unrouted = EnvironmentStatusBuilder.Build(again, routed: false, Now, maxEvents: 10);

        Assert.Equal(Then, unrouted.Find(ConditionTypes.TaskRunning)!.LastTransitionTime);
        Assert.Equal(Now, unrouted.Find(ConditionTypes.RouteProgrammed)!.LastTransitionTime);
        Assert.Equal(ConditionStatus.False, unrouted.Find(ConditionTypes.Ready)!.Status);
    }

    [Fact]
    public void A_failed_environment_is_not_ready_and_says_why()
    {
        var pass = Pass(Intent, Status(LifecycleState.Running), []);
        pass.State = LifecycleState.Failed;
        pass.FailureMessage = "task definition web not found";

        var ready = EnvironmentStatusBuilder.Build(pass, routed: false, Now, maxEvents: 10).Find(ConditionTypes.Ready)!;

        Assert.Equal((ConditionStatus.False, "Failed", "task definition web not found"), (ready.Status, ready.Reason, ready.Message));
    }

    [Fact]
    public void The_history_keeps_only_the_latest_events()
    {
        var history = Enumerable.Range(1, 3).Select(i => new EnvironmentEvent(Then, "Old", $"event {i}")).ToList();
        var pass = Pass(Intent, Status(LifecycleState.Running) with { Events = history }, [Task("t1", EcsTaskStatus.Running)]);
        pass.AddEvent("New", "the newest");

        var status = EnvironmentStatusBuilder.Build(pass, routed: true, Now, maxEvents: 2);

        Assert.Equal(["event 3", "the newest"], status.Events.Select(e => e.Message));
    }

    [Fact]
    public void A_status_built_again_from_an_unchanged_pass_is_the_same_status()
    {
        var pass = Pass(Intent, Status(LifecycleState.Running), [Task("t1", EcsTaskStatus.Running)]);
        pass.State = LifecycleState.Running;
        var first = EnvironmentStatusBuilder.Build(pass, routed: true, Then, maxEvents: 10);

        var again = Pass(Intent, first, [Task("t1", EcsTaskStatus.Running)]);
        again.State = LifecycleState.Running;

        Assert.True(EnvironmentStatusBuilder.SameStatus(EnvironmentStatusBuilder.Build(again, routed: true, Now, maxEvents: 10), first));
        Assert.False(EnvironmentStatusBuilder.SameStatus(first with { Restarts = 1 }, first));
    }
}
