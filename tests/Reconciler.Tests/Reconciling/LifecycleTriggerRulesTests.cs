using Mirage.Model.Backend;
using Mirage.Model.Intents;
using Mirage.Model.Launch;
using Mirage.Model.Lifecycle;
using Mirage.Reconciler.Reconciling;

namespace Mirage.Reconciler.Tests.Reconciling;

public sealed class LifecycleTriggerRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly EnvironmentIntent Intent = new() { Subdomain = "app", TaskDefinitions = ["web"], Revision = 2, CreatedAt = Now, UpdatedAt = Now };

    [Fact]
    public void A_new_environment_without_tasks_launches()
    {
        var pass = Pass(Intent, Status(LifecycleState.Pending, revision: 0), []);

        Assert.Equal(LifecycleTrigger.Launch, Derive(pass).Trigger);
    }

    [Fact]
    public void A_pending_environment_reports_its_tasks_starting_then_running()
    {
        var status = Status(LifecycleState.Pending, revision: 0);

        Assert.Equal(LifecycleTrigger.TasksPending, Derive(Pass(Intent, status, [Task("t1", EcsTaskStatus.Pending)])).Trigger);
        Assert.Equal(LifecycleTrigger.TasksRunning, Derive(Pass(Intent, status, [Task("t1", EcsTaskStatus.Running)])).Trigger);
    }

    [Fact]
    public void A_terminate_request_stops_running_tasks_or_settles_when_none_run()
    {
        var terminated = Intent with { Desired = DesiredState.Terminated };
        var status = Status(LifecycleState.Running);

        Assert.Equal(LifecycleTrigger.Terminate, Derive(Pass(terminated, status, [Task("t1", EcsTaskStatus.Running)])).Trigger);
        Assert.Equal(LifecycleTrigger.TasksStopped, Derive(Pass(terminated, status, [])).Trigger);
    }

    [Fact]
    public void A_new_revision_or_a_relaunch_after_termination_revises()
    {
        Assert.Equal(LifecycleTrigger.Revise, Derive(Pass(Intent with { Revision = 3 }, Status(LifecycleState.Running), [Task("t1", EcsTaskStatus.Running)])).Trigger);
        Assert.Equal(LifecycleTrigger.Revise, Derive(Pass(Intent, Status(LifecycleState.Terminated), [])).Trigger);
    }

    [Fact]
    public void A_failed_revision_settles()
    {
        Assert.Equal(LifecycleTrigger.Settle, Derive(Pass(Intent, Status(LifecycleState.Failed), [])).Trigger);
    }

    [Fact]
    public void A_task_that_died_restarts_until_the_restarts_are_used_up()
    {
        var died = Status(LifecycleState.Running, tasks: ["arn:task/t1"]);

        Assert.Equal(new LifecycleTriggerDecision(LifecycleTrigger.TaskStopped), Derive(Pass(Intent, died with { Restarts = 2 }, []), maxRestarts: 3));
        Assert.Equal(new LifecycleTriggerDecision(LifecycleTrigger.RetriesExhausted), Derive(Pass(Intent, died with { Restarts = 3 }, []), maxRestarts: 3));
    }

    [Fact]
    public void A_stop_by_the_infrastructure_relaunches_as_a_recovery_even_with_no_restarts_left()
    {
        var died = Status(LifecycleState.Running, tasks: ["arn:task/t1"]) with { Restarts = 3 };

        Assert.Equal(new LifecycleTriggerDecision(LifecycleTrigger.TaskStopped, Recovering: true),
            Derive(Pass(Intent, died, []), maxRestarts: 3, infrastructureStop: true));
    }

    [Fact]
    public void The_infrastructure_question_is_asked_only_when_a_task_died()
    {
        var asked = 0;
        var pass = Pass(Intent, Status(LifecycleState.Running, tasks: ["arn:task/t1"]), [Task("t1", EcsTaskStatus.Running)]);

        var decision = LifecycleTriggerRules.Derive(pass, maxRestarts: 3, () => { asked++; return true; });

        Assert.Equal(new LifecycleTriggerDecision(LifecycleTrigger.TasksRunning), decision);
        Assert.Equal(0, asked);
    }

    private static LifecycleTriggerDecision Derive(Pass pass, int maxRestarts = 3, bool infrastructureStop = false) =>
        LifecycleTriggerRules.Derive(pass, maxRestarts, () => infrastructureStop);

    internal static Pass Pass(EnvironmentIntent intent, EnvironmentStatus status, IReadOnlyList<ObservedTask> running) =>
        new(intent, status, running, [], Now);

    internal static EnvironmentStatus Status(LifecycleState state, long revision = 2, IReadOnlyList<string>? tasks = null) =>
        new() { Subdomain = "app", ObservedRevision = revision, State = state, Tasks = tasks ?? [] };

    internal static ObservedTask Task(string id, string lastStatus, long revision = 2, int index = 0) => new()
    {
        Arn = $"arn:task/{id}",
        TaskDefinitionArn = "arn:task-definition/web:1",
        LastStatus = lastStatus,
        DesiredStatus = EcsTaskStatus.Running,
        Tags = LaunchEnvironment.BuildTags("app", new Dictionary<string, string>(), [], revision, index),
    };
}
