using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;

namespace Mirage.Reconciler.Tests.Reconciling;

/// <summary>Passes read the shared task cache: the backend is asked only about tasks whose state a pass must know.</summary>
public sealed class CachedPassTests : IDisposable
{
    private readonly ReconcilerHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_pass_of_a_settled_environment_neither_lists_nor_describes()
    {
        await _h.LaunchAsync("app", "web");
        await _h.RunAsync("app");
        var listings = _h.Backend.ListTasksCalls;
        var describes = _h.Backend.DescribeTasksCalls;

        await _h.PassAsync("app");
        await _h.PassAsync("app");

        Assert.Equal(LifecycleState.Running, (await _h.StatusAsync("app")).State);
        Assert.Equal(listings, _h.Backend.ListTasksCalls);
        Assert.Equal(describes, _h.Backend.DescribeTasksCalls);
    }

    [Fact]
    public async Task Without_announced_changes_a_pass_describes_just_the_tasks_still_starting()
    {
        _h.Backend.Silent = true;
        await _h.LaunchAsync("app", "web");
        await _h.PassAsync("app");
        _h.Backend.StartAll();
        var listings = _h.Backend.ListTasksCalls;

        await _h.PassAsync("app");

        Assert.Equal(LifecycleState.Running, (await _h.StatusAsync("app")).State);
        Assert.NotNull(_h.Publisher.Current.Find("app"));
        Assert.Equal(1, _h.Backend.DescribeTasksCalls);
        Assert.Equal(listings, _h.Backend.ListTasksCalls);
    }

    [Fact]
    public async Task A_task_that_stopped_unannounced_is_seen_at_the_next_listing_and_replaced()
    {
        _h.Backend.Silent = true;
        await _h.LaunchAsync("app", "web");
        await _h.RunAsync("app");
        var first = Assert.Single(_h.Backend.Tasks);
        _h.Backend.Crash(first.Arn, exitCode: 1);

        await _h.PassAsync("app");
        Assert.Single(_h.Backend.Tasks);

        await _h.Cache.RefreshAsync(TestContext.Current.CancellationToken);
        await _h.PassAsync("app");

        Assert.Equal(2, _h.Backend.Tasks.Count);
        var status = await _h.StatusAsync("app");
        Assert.Contains(status.Events, e => e.Reason == "TaskStopped" && e.Message.Contains("exited with code 1", StringComparison.Ordinal));
        Assert.Equal(1, status.Restarts);
    }

    [Fact]
    public async Task A_launch_describes_a_task_definition_named_twice_only_once()
    {
        await _h.LaunchAsync("pair", "web", "web");

        await _h.PassAsync("pair");

        Assert.Equal(2, _h.Backend.Tasks.Count);
        Assert.Equal(1, _h.Backend.DescribeTaskDefinitionCalls);
    }
}
