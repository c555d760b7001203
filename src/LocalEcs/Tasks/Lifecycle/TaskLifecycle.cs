using Mirage.Model.Backend;
using Stateless;
using Stateless.Graph;

namespace Mirage.LocalEcs.Tasks.Lifecycle;

/// <summary>
/// A local task's ECS status as a state machine: the statuses LocalEcs uses and the transitions ECS allows between
/// them. The status lives in the task's snapshot (external state storage), so the machine holds no copy of it.
/// A trigger a status does not handle throws <see cref="InvalidOperationException"/>: the task loop fails the task.
/// </summary>
/// <remarks>
/// ECS also passes through ACTIVATING (load balancer registration) and DEPROVISIONING (ENI release); LocalEcs has
/// neither, so PENDING goes straight to RUNNING and STOPPING straight to STOPPED, as ECS shows for tasks without them.
/// </remarks>
internal sealed class TaskLifecycle
{
    private readonly StateMachine<string, TaskTrigger> _machine;

    public TaskLifecycle(Func<string> readStatus, Action<string> writeStatus)
    {
        _machine = new StateMachine<string, TaskTrigger>(readStatus, writeStatus);
        Configure(_machine);
    }

    public string Status => _machine.State;

    public bool CanFire(TaskTrigger trigger) => _machine.CanFire(trigger);

    public void Fire(TaskTrigger trigger) => _machine.Fire(trigger);

    /// <summary>The graph in DOT, from Stateless's own export.</summary>
    public string ToDotGraph() => UmlDotGraph.Format(_machine.GetInfo());

    private static void Configure(StateMachine<string, TaskTrigger> machine)
    {
        machine.Configure(EcsTaskStatus.Provisioning)
            .Permit(TaskTrigger.ContainersStarting, EcsTaskStatus.Pending)
            .Permit(TaskTrigger.StopRequested, EcsTaskStatus.Deactivating);
        machine.Configure(EcsTaskStatus.Pending)
            .Permit(TaskTrigger.PortsReady, EcsTaskStatus.Running)
            .Permit(TaskTrigger.StopRequested, EcsTaskStatus.Deactivating);
        machine.Configure(EcsTaskStatus.Running)
            .Permit(TaskTrigger.StopRequested, EcsTaskStatus.Deactivating);
        machine.Configure(EcsTaskStatus.Deactivating)
            .Ignore(TaskTrigger.StopRequested)
            .Permit(TaskTrigger.ContainersSignalled, EcsTaskStatus.Stopping)
            // A task that failed before its processes could be signalled has nothing left to wait for.
            .Permit(TaskTrigger.ContainersExited, EcsTaskStatus.Stopped);
        machine.Configure(EcsTaskStatus.Stopping)
            .Ignore(TaskTrigger.StopRequested)
            .Ignore(TaskTrigger.ContainersSignalled)
            .Permit(TaskTrigger.ContainersExited, EcsTaskStatus.Stopped);
        machine.Configure(EcsTaskStatus.Stopped)
            .Ignore(TaskTrigger.StopRequested);
    }
}
