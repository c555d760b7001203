using Mirage.Model.Backend;
using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;
using Mirage.Reconciler.Reconciling;

namespace Mirage.Reconciler.Tests.Reconciling;

public sealed class EnvironmentDriftTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly EnvironmentIntent Intent = new() { Subdomain = "app", TaskDefinitions = ["web"], Revision = 2, CreatedAt = Now, UpdatedAt = Now };
    private static readonly EnvironmentStatus Settled = new() { Subdomain = "app", ObservedRevision = 2, State = LifecycleState.Running, Tasks = ["arn:task/1"] };

    [Fact]
    public void A_running_routed_environment_with_the_tasks_it_recorded_needs_no_pass() =>
        Assert.False(EnvironmentDrift.NeedsPass(Intent, Settled, [Task("arn:task/1", EcsTaskStatus.Running)], routed: true));

    [Fact]
    public void A_new_revision_or_a_missing_status_needs_a_pass()
    {
        Assert.True(EnvironmentDrift.NeedsPass(Intent with { Revision = 3 }, Settled, [Task("arn:task/1", EcsTaskStatus.Running)], routed: true));
        Assert.True(EnvironmentDrift.NeedsPass(Intent, null, [], routed: false));
    }

    [Fact]
    public void A_task_gone_added_or_not_running_needs_a_pass()
    {
        Assert.True(EnvironmentDrift.NeedsPass(Intent, Settled, [], routed: true));
        Assert.True(EnvironmentDrift.NeedsPass(Intent, Settled, [Task("arn:task/1", EcsTaskStatus.Running), Task("arn:task/2", EcsTaskStatus.Running)], routed: true));
        Assert.True(EnvironmentDrift.NeedsPass(Intent, Settled, [Task("arn:task/1", EcsTaskStatus.Stopped)], routed: true));
    }

    [Fact]
    public void A_running_environment_without_its_route_needs_a_pass() =>
        Assert.True(EnvironmentDrift.NeedsPass(Intent, Settled, [Task("arn:task/1", EcsTaskStatus.Running)], routed: false));

    [Fact]
    public void A_terminated_environment_needs_a_pass_only_while_a_task_of_it_runs()
    {
        var terminated = Intent with { Desired = DesiredState.Terminated };
        var status = Settled with { State = LifecycleState.Terminated, Tasks = [] };
        Assert.False(EnvironmentDrift.NeedsPass(terminated, status, [], routed: false));
        Assert.True(EnvironmentDrift.NeedsPass(terminated, status, [Task("arn:task/9", EcsTaskStatus.Running)], routed: false));
    }

    [Fact]
    public void An_environment_on_its_way_somewhere_needs_a_pass() =>
        Assert.True(EnvironmentDrift.NeedsPass(Intent, Settled with { State = LifecycleState.Launching }, [Task("arn:task/1", EcsTaskStatus.Pending)], routed: false));

    private static ObservedTask Task(string arn, string lastStatus) => new()
    {
        Arn = arn,
        TaskDefinitionArn = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
        LastStatus = lastStatus,
        DesiredStatus = EcsTaskStatus.Running,
    };
}
