using Microsoft.Extensions.Time.Testing;
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

public sealed class ListObservationTests
{
    [Fact]
    public async Task A_failed_listing_becomes_a_warning_with_the_last_listing()
    {
        var backend = new FailingBackend();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var observed = new Mirage.Reconciler.Reconciling.ObservedTasks(backend, time);

        var (first, warning) = await ListPageBuilder.ObserveAsync(observed, time.GetUtcNow(), TestContext.Current.CancellationToken);
        Assert.Empty(first.Running);
        Assert.Equal("Mirage could not list the tasks (ThrottlingException: Rate exceeded); no tasks are shown.", warning);

        backend.Fail = false;
        var (_, none) = await ListPageBuilder.ObserveAsync(observed, time.GetUtcNow(), TestContext.Current.CancellationToken);
        Assert.Null(none);

        // Pages read the cache; the next resync's listing is the one that fails.
        backend.Fail = true;
        time.Advance(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<InvalidOperationException>(() => observed.RefreshAsync(TestContext.Current.CancellationToken));
        var (stale, again) = await ListPageBuilder.ObserveAsync(observed, time.GetUtcNow(), TestContext.Current.CancellationToken);
        Assert.Single(stale.Running);
        Assert.Equal("Mirage could not list the tasks (ThrottlingException: Rate exceeded); tasks are as seen at 2026-01-02 03:04:05 UTC.", again);
    }

    private sealed class FailingBackend : Mirage.Model.Backend.IEcsBackend
    {
        public bool Fail { get; set; } = true;

        public Task<IReadOnlyList<Mirage.Model.Backend.ObservedTask>> ListTasksAsync(Mirage.Model.Backend.TaskDesiredStatus desiredStatus, CancellationToken cancellationToken) =>
            Fail
                ? throw new InvalidOperationException("ThrottlingException: Rate exceeded")
                : Task.FromResult<IReadOnlyList<Mirage.Model.Backend.ObservedTask>>(desiredStatus == Mirage.Model.Backend.TaskDesiredStatus.Running
                    ? [new() { Arn = "arn:aws:ecs:r:1:task/c/abc", TaskDefinitionArn = "td", LastStatus = Mirage.Model.Backend.EcsTaskStatus.Running, DesiredStatus = Mirage.Model.Backend.EcsTaskStatus.Running }]
                    : []);

        public Task<Mirage.Model.Backend.ObservedTask> RunTaskAsync(Mirage.Model.Backend.RunTaskRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException("not used");
        public Task<Mirage.Model.Backend.ObservedTask?> StopTaskAsync(string taskArn, string reason, CancellationToken cancellationToken) => throw new InvalidOperationException("not used");
        public Task<IReadOnlyList<Mirage.Model.Backend.ObservedTask>> DescribeTasksAsync(IReadOnlyCollection<string> taskArns, CancellationToken cancellationToken) => throw new InvalidOperationException("not used");
        public Task<Mirage.Model.Backend.TaskDefinitionInfo> DescribeTaskDefinitionAsync(string taskDefinition, CancellationToken cancellationToken) => throw new InvalidOperationException("not used");
        public Task<IReadOnlyList<Mirage.Model.Backend.LogLine>> ReadLogsAsync(Mirage.Model.Backend.ObservedTask task, DateTimeOffset? since, CancellationToken cancellationToken) => throw new InvalidOperationException("not used");
    }
}
