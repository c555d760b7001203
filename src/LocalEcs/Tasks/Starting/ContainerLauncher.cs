using Mirage.LocalEcs.Runtimes;
using Mirage.LocalEcs.TaskDefinitions;
using Mirage.LocalEcs.Tasks.Lifecycle;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Tasks.Starting;

/// <summary>
/// Starts a new task's containers in the runtime's order (PROVISIONING → PENDING), journaling each before the next
/// starts. A container that cannot start stops the task (TaskFailedToStart); a stop request ends the start early.
/// </summary>
internal sealed class ContainerLauncher(LocalTaskState task, LocalTaskContext context, TaskJournaling journaling)
{
    public async Task StartAsync(Uri endpoint, string authorizationToken, CancellationToken cancellationToken)
    {
        lock (task.Gate)
        {
            if (task.Current.DesiredStatus == EcsTaskStatus.Stopped)
            {
                // Stopped before it started: nothing to launch, the loop finishes it.
                return;
            }
            var now = task.Now;
            task.Lifecycle.Fire(TaskTrigger.ContainersStarting);
            task.Change(s => s with { PullStartedAt = now, PullStoppedAt = now });
            task.PendingSince = now;
        }
        var runtime = context.Runtime;
        var logFolder = Path.Combine(context.Options.LogFolder, task.Current.TaskId);
        Directory.CreateDirectory(logFolder);
        var containerEndpoint = runtime.EndpointForContainers(endpoint);
        foreach (var definition in runtime.StartOrder(task.Current.Definition))
        {
            if (task.Current.DesiredStatus == EcsTaskStatus.Stopped)
            {
                return;
            }
            IContainerHandle handle;
            try
            {
                handle = await runtime.StartAsync(PrepareStart(definition, containerEndpoint, authorizationToken, logFolder), cancellationToken);
            }
            catch (ContainerStartException ex)
            {
                lock (task.Gate)
                {
                    task.ChangeContainer(definition.Name, c => c with { LastStatus = EcsTaskStatus.Stopped, Reason = ex.Message, FinishedAt = task.Now });
                    task.RequestStopLocked(ex.Message, "TaskFailedToStart");
                }
                return;
            }
            lock (task.Gate)
            {
                task.Processes[definition.Name] = handle;
                task.ChangeContainer(definition.Name, c => handle.Annotate(c) with { LastStatus = EcsTaskStatus.Running, StartedAt = task.Now });
            }
            // Journaled before the next container starts, so a crash leaves no unknown container behind.
            journaling.WriteNow();
            Log.ContainerStarted(context.Logger, task.Arn, definition.Name, handle.Description);
        }
    }

    private ContainerStart PrepareStart(LocalContainerDefinition definition, Uri endpoint, string authorizationToken, string logFolder)
    {
        var snapshot = task.Current;
        var runtime = context.Runtime;
        var inherited = runtime.ContainersSeeContainerPorts ? new Dictionary<string, string>() : context.InheritedEnvironment;
        var environment = TaskEnvironment.Build(inherited, snapshot, definition, endpoint, authorizationToken, context.Options.Region, runtime.ContainersSeeContainerPorts);
        var (own, all) = TaskEnvironment.PortsFor(snapshot, definition.Name, runtime.ContainersSeeContainerPorts);
        var argv = definition.Argv.Select(a => PortExpansion.Expand(a, own, all)).ToList();
        return new ContainerStart(snapshot, definition, environment, argv, definition.EntryPointCount, logFolder, task.Logs[definition.Name], id =>
        {
            lock (task.Gate)
            {
                task.ChangeContainer(definition.Name, c => c with { ContainerId = id });
            }
        });
    }
}
