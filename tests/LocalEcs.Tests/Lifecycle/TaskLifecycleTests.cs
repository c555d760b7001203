using Mirage.LocalEcs.Tasks.Lifecycle;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Tests.Lifecycle;

/// <summary>The ECS statuses a local task goes through, and the triggers each status refuses.</summary>
public sealed class TaskLifecycleTests
{
    private string _status = EcsTaskStatus.Provisioning;

    private TaskLifecycle Lifecycle() => new(() => _status, s => _status = s);

    [Fact]
    public void A_task_goes_from_provisioning_through_running_to_stopped_in_ECS_order()
    {
        var lifecycle = Lifecycle();
        var seen = new List<string> { _status };

        foreach (var trigger in new[] { TaskTrigger.ContainersStarting, TaskTrigger.PortsReady, TaskTrigger.StopRequested, TaskTrigger.ContainersSignalled, TaskTrigger.ContainersExited })
        {
            lifecycle.Fire(trigger);
            seen.Add(_status);
        }

        Assert.Equal(
            [EcsTaskStatus.Provisioning, EcsTaskStatus.Pending, EcsTaskStatus.Running, EcsTaskStatus.Deactivating, EcsTaskStatus.Stopping, EcsTaskStatus.Stopped],
            seen);
    }

    [Theory]
    [InlineData(EcsTaskStatus.Provisioning)]
    [InlineData(EcsTaskStatus.Pending)]
    [InlineData(EcsTaskStatus.Running)]
    public void A_stop_request_moves_every_live_status_to_deactivating(string status)
    {
        _status = status;

        Lifecycle().Fire(TaskTrigger.StopRequested);

        Assert.Equal(EcsTaskStatus.Deactivating, _status);
    }

    [Theory]
    [InlineData(EcsTaskStatus.Deactivating)]
    [InlineData(EcsTaskStatus.Stopping)]
    [InlineData(EcsTaskStatus.Stopped)]
    public void A_second_stop_request_changes_nothing(string status)
    {
        _status = status;

        Lifecycle().Fire(TaskTrigger.StopRequested);

        Assert.Equal(status, _status);
    }

    [Theory]
    [InlineData(EcsTaskStatus.Provisioning, nameof(TaskTrigger.PortsReady))]
    [InlineData(EcsTaskStatus.Running, nameof(TaskTrigger.ContainersStarting))]
    [InlineData(EcsTaskStatus.Running, nameof(TaskTrigger.ContainersExited))]
    [InlineData(EcsTaskStatus.Stopping, nameof(TaskTrigger.PortsReady))]
    [InlineData(EcsTaskStatus.Stopped, nameof(TaskTrigger.PortsReady))]
    [InlineData(EcsTaskStatus.Stopped, nameof(TaskTrigger.ContainersStarting))]
    public void A_trigger_the_status_does_not_allow_is_an_error_and_leaves_the_status(string status, string triggerName)
    {
        var trigger = Enum.Parse<TaskTrigger>(triggerName);
        _status = status;
        var lifecycle = Lifecycle();

        Assert.False(lifecycle.CanFire(trigger));
        Assert.Throws<InvalidOperationException>(() => lifecycle.Fire(trigger));
        Assert.Equal(status, _status);
    }

    [Fact]
    public void A_status_LocalEcs_does_not_use_handles_no_trigger()
    {
        _status = EcsTaskStatus.Activating;

        Assert.Throws<InvalidOperationException>(() => Lifecycle().Fire(TaskTrigger.PortsReady));
    }

    [Fact]
    public void The_graph_export_names_every_status_LocalEcs_uses()
    {
        var dot = Lifecycle().ToDotGraph();

        Assert.All(
            [EcsTaskStatus.Provisioning, EcsTaskStatus.Pending, EcsTaskStatus.Running, EcsTaskStatus.Deactivating, EcsTaskStatus.Stopping, EcsTaskStatus.Stopped],
            s => Assert.Contains(s, dot));
    }
}
