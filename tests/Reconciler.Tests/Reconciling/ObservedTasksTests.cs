using Microsoft.Extensions.Time.Testing;
using Mirage.Model.Backend;
using Mirage.Reconciler.Reconciling;
using Mirage.TestKit;

namespace Mirage.Reconciler.Tests.Reconciling;

public sealed class ObservedTasksTests
{
    private readonly FakeTimeProvider _clock = new(TestClock.Start);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_between_resyncs_come_from_the_cache_without_listing_again()
    {
        var backend = new InMemoryEcsBackend(_clock);
        var cache = new ObservedTasks(backend, _clock);
        backend.AddForeign("YQ==", "web:1");

        await cache.GetAsync(Token);
        await cache.GetAsync(Token);
        await cache.GetAsync(Token);

        Assert.Equal(1, backend.ListTasksCalls);
    }

    [Fact]
    public async Task A_reader_of_a_cache_older_than_its_max_age_lists_again_as_a_follower_must()
    {
        var backend = new InMemoryEcsBackend(_clock);
        var cache = new ObservedTasks(backend, _clock) { MaxAge = TimeSpan.FromMinutes(1) };
        backend.AddForeign("YQ==", "web:1");
        await cache.GetAsync(Token);

        _clock.Advance(TimeSpan.FromMinutes(1));
        await cache.GetAsync(Token);
        Assert.Equal(1, backend.ListTasksCalls);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await cache.GetAsync(Token);
        await cache.GetAsync(Token);
        Assert.Equal(2, backend.ListTasksCalls);
    }

    [Fact]
    public async Task A_task_Mirage_launched_while_a_listing_ran_survives_that_listing()
    {
        var backend = new InMemoryEcsBackend(_clock);
        var cache = new ObservedTasks(backend, _clock);
        await cache.GetAsync(Token);
        var launched = Task("arn:task/new", EcsTaskStatus.Running, EcsTaskStatus.Running, "YQ==");

        // ECS lists eventually: a listing that does not show the task yet must not make it vanish.
        cache.Record(launched);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var observation = await cache.RefreshAsync(Token);

        Assert.Equal(["arn:task/new"], observation.RunningFor("a").Select(t => t.Arn));

        _clock.Advance(ObservedTasks.ListingLag);
        Assert.Empty((await cache.RefreshAsync(Token)).RunningFor("a"));
    }

    [Fact]
    public void An_older_or_repeated_report_of_a_task_is_ignored_and_raises_no_change()
    {
        var cache = new ObservedTasks(new InMemoryEcsBackend(_clock), _clock);
        var changes = new List<string>();
        cache.Changed += changes.Add;
        var running = Task("arn:task/1", EcsTaskStatus.Running, EcsTaskStatus.Running, "YQ==") with { Version = 3 };
        var stopped = running with { DesiredStatus = EcsTaskStatus.Stopped, LastStatus = EcsTaskStatus.Stopped, Version = 5 };

        Assert.True(cache.Apply(running));
        Assert.True(cache.Apply(stopped));
        Assert.False(cache.Apply(running));
        Assert.False(cache.Apply(stopped));
        Assert.False(cache.Apply(stopped with { Tags = [] }));

        Assert.Equal(["a", "a"], changes);
        Assert.Equal(EcsTaskStatus.Stopped, cache.Find("arn:task/1")!.LastStatus);
    }

    [Fact]
    public void An_event_without_tags_keeps_the_tags_the_cache_knows()
    {
        var cache = new ObservedTasks(new InMemoryEcsBackend(_clock), _clock);
        var changes = new List<string>();
        cache.Changed += changes.Add;
        cache.Record(Task("arn:task/1", EcsTaskStatus.Pending, EcsTaskStatus.Running, "YQ==") with { Version = 1 });

        Assert.True(cache.Apply(Task("arn:task/1", EcsTaskStatus.Running, EcsTaskStatus.Running, subdomainTag: null) with { Version = 2 }));

        Assert.Equal(["a"], changes);
        Assert.Equal("YQ==", cache.Find("arn:task/1")!.Tag("Subdomain"));
    }

    [Fact]
    public async Task An_event_about_a_task_the_cache_has_not_seen_is_described_once_to_learn_its_environment()
    {
        var backend = new InMemoryEcsBackend(_clock) { Silent = true };
        var cache = new ObservedTasks(backend, _clock);
        await cache.GetAsync(Token);
        var changes = new List<string>();
        cache.Changed += changes.Add;
        var task = backend.AddForeign("YQ==", "web:1");

        Assert.True(await cache.ApplyAsync(task with { Tags = [], Version = 2 }, Token));

        Assert.Equal(1, backend.DescribeTasksCalls);
        Assert.Equal(["a"], changes.Distinct());
        Assert.Equal("YQ==", cache.Find(task.Arn)!.Tag("Subdomain"));
    }

    [Fact]
    public async Task Events_about_a_task_that_is_not_Mirages_are_described_once_and_then_ignored()
    {
        var backend = new InMemoryEcsBackend(_clock) { Silent = true };
        var cache = new ObservedTasks(backend, _clock);
        await cache.GetAsync(Token);
        var other = Task("arn:task/someone-elses", EcsTaskStatus.Running, EcsTaskStatus.Running, subdomainTag: null);
        backend.ChangeSilently(other with { Tags = [new EcsTag("team", "data")] });

        Assert.False(await cache.ApplyAsync(other with { Version = 1 }, Token));
        Assert.False(await cache.ApplyAsync(other with { Version = 2 }, Token));

        Assert.Equal(1, backend.DescribeTasksCalls);
        Assert.Null(cache.Find(other.Arn));
    }

    [Fact]
    public void Without_versions_the_status_order_decides()
    {
        var starting = Task("arn:task/1", EcsTaskStatus.Pending, EcsTaskStatus.Running, "YQ==");
        var running = starting with { LastStatus = EcsTaskStatus.Running };
        var stopping = running with { DesiredStatus = EcsTaskStatus.Stopped };

        Assert.True(TaskOrder.Compare(running, starting) > 0);
        Assert.True(TaskOrder.Compare(stopping, running) > 0);
        Assert.True(TaskOrder.Compare(starting, stopping) < 0);
        Assert.True(TaskOrder.Compare(running with { Version = 9 }, stopping with { Version = 2 }) > 0);
    }

    private static ObservedTask Task(string arn, string lastStatus, string desiredStatus, string? subdomainTag) => new()
    {
        Arn = arn,
        TaskDefinitionArn = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
        LastStatus = lastStatus,
        DesiredStatus = desiredStatus,
        Tags = subdomainTag is null ? [] : [new EcsTag("Subdomain", subdomainTag), new EcsTag("ManagedBy", "Mirage")],
    };
}
