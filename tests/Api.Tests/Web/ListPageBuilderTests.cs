using Mirage.Api.Web.Pages;
using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;

namespace Mirage.Api.Tests.Web;

public sealed class ListPageBuilderTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static readonly EnvironmentIntent Intent = new() { Subdomain = "web", TaskDefinitions = ["demo"], Revision = 2 };

    private static EnvironmentStatus Status(LifecycleState state, long revision = 2, ConditionStatus ready = ConditionStatus.False, params EnvironmentEvent[] events) => new()
    {
        Subdomain = "web",
        ObservedRevision = revision,
        State = state,
        Conditions = [new Condition(ConditionTypes.Ready, ready, "x", "environment is failed", At, revision)],
        Events = events,
    };

    [Fact]
    public void The_state_is_the_reconcilers_unless_the_intent_moved_on()
    {
        Assert.Equal(LifecycleState.Pending, ListPageBuilder.StateOf(Intent, null));
        Assert.Equal(LifecycleState.Launching, ListPageBuilder.StateOf(Intent, Status(LifecycleState.Launching)));
        // A new launch after a failure or a termination is pending until the reconciler looks at it.
        Assert.Equal(LifecycleState.Pending, ListPageBuilder.StateOf(Intent, Status(LifecycleState.Failed, revision: 1)));
        var terminated = Intent with { Desired = DesiredState.Terminated };
        Assert.Equal(LifecycleState.Terminating, ListPageBuilder.StateOf(terminated, Status(LifecycleState.Running)));
        Assert.Equal(LifecycleState.Terminated, ListPageBuilder.StateOf(terminated, Status(LifecycleState.Terminated)));
    }

    [Fact]
    public void A_failed_environment_says_why()
    {
        var status = Status(LifecycleState.Failed, events:
        [
            new EnvironmentEvent(At, "TaskStopped", "Task a stopped unexpectedly: Essential container in task exited; app exited with code 3"),
            new EnvironmentEvent(At, "Failed", "tasks stopped 3 times; giving up until the next launch"),
        ]);
        Assert.Equal(
            "Tasks stopped 3 times; giving up until the next launch. Task a stopped unexpectedly: Essential container in task exited; app exited with code 3.",
            ListPageBuilder.MessageOf(Intent, status));
        Assert.Equal("", ListPageBuilder.MessageOf(Intent, Status(LifecycleState.Running, ready: ConditionStatus.True)));
        Assert.Equal("", ListPageBuilder.MessageOf(Intent with { Desired = DesiredState.Terminated }, status));
    }
}
