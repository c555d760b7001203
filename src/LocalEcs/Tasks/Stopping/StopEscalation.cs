using Mirage.LocalEcs.Processes;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Tasks.Stopping;

/// <summary>
/// Stops a task's containers as ECS does: SIGTERM to each, SIGKILL to those still running when their grace period
/// ends. <see cref="Next"/> is the rule; <see cref="SignalAsync"/> applies it once per loop turn.
/// </summary>
internal sealed class StopEscalation(LocalTaskState task, LocalTaskContext context)
{
    private readonly Dictionary<string, DateTimeOffset> _killAt = [];
    private readonly HashSet<string> _killed = [];

    /// <summary>The signal a running container gets now: none yet signalled → SIGTERM; past its deadline and not yet killed → SIGKILL.</summary>
    public static StopSignal Next(DateTimeOffset now, DateTimeOffset? killAt, bool killed) => killAt switch
    {
        null => StopSignal.Terminate,
        { } deadline when now >= deadline && !killed => StopSignal.Kill,
        _ => StopSignal.None,
    };

    public async Task SignalAsync()
    {
        if (task.Current.DesiredStatus != EcsTaskStatus.Stopped)
        {
            return;
        }
        foreach (var (name, process) in task.Processes)
        {
            if (process.HasExited)
            {
                continue;
            }
            var now = task.Now;
            switch (Next(now, _killAt.TryGetValue(name, out var at) ? at : null, _killed.Contains(name)))
            {
                case StopSignal.Terminate:
                    var grace = task.Current.Definition.Containers.First(d => d.Name == name).StopTimeout ?? context.Options.StopGracePeriod;
                    _killAt[name] = now + grace;
                    await process.SignalAsync(Posix.SigTerm);
                    break;
                case StopSignal.Kill:
                    _killed.Add(name);
                    Log.ContainerKilled(context.Logger, task.Arn, name);
                    await process.SignalAsync(Posix.SigKill);
                    break;
            }
        }
        lock (task.Gate)
        {
            if (task.Lifecycle.Status == EcsTaskStatus.Deactivating)
            {
                task.Lifecycle.Fire(Lifecycle.TaskTrigger.ContainersSignalled);
            }
        }
    }

    /// <summary>SIGKILL to every process still running: the task's loop failed and nothing would watch them.</summary>
    public async Task KillAllAsync()
    {
        foreach (var process in task.Processes.Values.Where(p => !p.HasExited))
        {
            await process.SignalAsync(Posix.SigKill);
        }
    }
}
