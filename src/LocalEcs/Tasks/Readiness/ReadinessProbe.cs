using Mirage.LocalEcs.Tasks.Lifecycle;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Tasks.Readiness;

/// <summary>
/// Takes a PENDING task to RUNNING once every running container's ports accept connections, or stops it
/// (TaskFailedToStart) when a port stays closed past <see cref="LocalEcsOptions.PortReadyTimeout"/>.
/// </summary>
internal sealed class ReadinessProbe(LocalTaskState task, LocalTaskContext context, Func<int, CancellationToken, Task<bool>> acceptsConnections)
{
    public ReadinessProbe(LocalTaskState task, LocalTaskContext context)
        : this(task, context, (port, cancellationToken) => PortProbe.AcceptsConnectionsAsync(port, context.Time, cancellationToken))
    {
    }

    /// <summary>True when the task's state changed (RUNNING, or asked to stop).</summary>
    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        LocalTaskSnapshot snapshot;
        lock (task.Gate)
        {
            snapshot = task.Current;
            if (!task.Lifecycle.CanFire(TaskTrigger.PortsReady) || snapshot.DesiredStatus != EcsTaskStatus.Running || task.Processes.Count == 0)
            {
                return false;
            }
        }
        var readiness = Readiness.Judge(await FirstClosedPortAsync(snapshot, cancellationToken), task.Now - task.PendingSince, context.Options.PortReadyTimeout);
        if (readiness.Verdict == ReadinessVerdict.Waiting)
        {
            return false;
        }
        lock (task.Gate)
        {
            if (readiness.Verdict == ReadinessVerdict.TimedOut)
            {
                task.RequestStopLocked(readiness.FailureReason!, "TaskFailedToStart");
                return true;
            }
            if (!task.Lifecycle.CanFire(TaskTrigger.PortsReady) || task.Current.DesiredStatus != EcsTaskStatus.Running)
            {
                return false;
            }
            task.Lifecycle.Fire(TaskTrigger.PortsReady);
            task.Change(s => s with { StartedAt = task.Now });
        }
        Log.TaskRunning(context.Logger, task.Arn);
        context.Changed(task.Current);
        return true;
    }

    private async Task<ClosedPort?> FirstClosedPortAsync(LocalTaskSnapshot snapshot, CancellationToken cancellationToken)
    {
        foreach (var container in snapshot.Containers.Where(c => task.Processes.ContainsKey(c.Name)))
        {
            foreach (var port in container.Ports)
            {
                if (!await acceptsConnections(port.HostPort, cancellationToken))
                {
                    return new ClosedPort(container.Name, port.ContainerPort, port.HostPort);
                }
            }
        }
        return null;
    }
}
