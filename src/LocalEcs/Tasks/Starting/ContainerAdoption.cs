using Mirage.LocalEcs.Tasks.Lifecycle;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Tasks.Starting;

/// <summary>
/// Takes over a journaled task after a Mirage restart: live containers are watched again (the task at least
/// PENDING, so readiness can take it to RUNNING), gone ones recorded as stopped, and the task asked to stop when an
/// essential one is gone or none had started.
/// </summary>
internal sealed class ContainerAdoption(LocalTaskState task, LocalTaskContext context, TaskJournaling journaling)
{
    public async Task AdoptAsync(CancellationToken cancellationToken)
    {
        lock (task.Gate)
        {
            task.PendingSince = task.Now;
            if (task.Lifecycle.Status == EcsTaskStatus.Stopped)
            {
                return;
            }
        }
        foreach (var container in task.Current.Containers)
        {
            if (container.LastStatus == EcsTaskStatus.Stopped)
            {
                continue;
            }
            var essential = task.IsEssential(container.Name);
            var adopted = await context.Runtime.AdoptAsync(task.Current, container, task.Logs[container.Name], cancellationToken);
            var rewrite = false;
            lock (task.Gate)
            {
                if (!ReferenceEquals(adopted.Container, container))
                {
                    task.ChangeContainer(container.Name, _ => adopted.Container);
                    rewrite = true;
                }
                if (adopted.Handle is not { } handle)
                {
                    task.ChangeContainer(container.Name, c => c with { LastStatus = EcsTaskStatus.Stopped, Reason = adopted.GoneReason, ExitCode = adopted.ExitCode, FinishedAt = task.Now });
                    if (adopted.NeverStarted)
                    {
                        task.RequestStopLocked("Mirage stopped before the task's processes started", "TaskFailedToStart");
                    }
                    else if (essential)
                    {
                        task.RequestStopLocked("Task process exited while Mirage was not running", "EssentialContainerExited");
                    }
                }
                else
                {
                    task.Processes[container.Name] = handle;
                    // A crash can come before the journal said RUNNING/PENDING: a live process is running, and its
                    // task at least pending.
                    task.ChangeContainer(container.Name, c => c.LastStatus == EcsTaskStatus.Running ? c : c with { LastStatus = EcsTaskStatus.Running });
                    if (task.Lifecycle.Status == EcsTaskStatus.Provisioning)
                    {
                        task.Lifecycle.Fire(TaskTrigger.ContainersStarting);
                    }
                    task.Logs[container.Name].Add(new LogLine(task.Now, container.Name, "[mirage] re-attached to this process after a Mirage restart; its earlier output is not available here"));
                    Log.ContainerAdopted(context.Logger, task.Arn, container.Name, handle.Description);
                }
            }
            if (rewrite)
            {
                journaling.WriteNow();
            }
        }
    }
}
