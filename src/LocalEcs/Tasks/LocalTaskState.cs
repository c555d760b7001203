using Mirage.LocalEcs.Logs;
using Mirage.LocalEcs.Runtimes;
using Mirage.LocalEcs.Tasks.Lifecycle;
using Mirage.Model.Backend;
using static Mirage.Model.Backend.EcsTaskStatus;

namespace Mirage.LocalEcs.Tasks;

/// <summary>
/// What one local task holds while it runs: its snapshot (the status inside it driven by <see cref="TaskLifecycle"/>),
/// its container handles and log buffers. Every change to the snapshot happens under <see cref="Gate"/>; the parts
/// that start, adopt, probe and stop the task share this one instance.
/// </summary>
internal sealed class LocalTaskState
{
    private readonly LocalTaskContext _context;
    private LocalTaskSnapshot _snapshot;

    public LocalTaskState(LocalTaskSnapshot snapshot, LocalTaskContext context)
    {
        _snapshot = snapshot;
        _context = context;
        Lifecycle = new TaskLifecycle(() => _snapshot.LastStatus, status => _snapshot = _snapshot with { LastStatus = status });
        foreach (var container in snapshot.Containers)
        {
            Logs[container.Name] = new LogBuffer(context.Options.LogLinesPerContainer, context.Options.LogBytesPerContainer);
        }
    }

    public Lock Gate { get; } = new();

    /// <summary>Fired only under <see cref="Gate"/>.</summary>
    public TaskLifecycle Lifecycle { get; }

    /// <summary>The running containers' handles; touched only by the task's own loop (and its start or adoption).</summary>
    public Dictionary<string, IContainerHandle> Processes { get; } = [];

    public Dictionary<string, LogBuffer> Logs { get; } = [];

    /// <summary>When the task was last seen to start waiting for its ports (start, or re-attachment).</summary>
    public DateTimeOffset PendingSince { get; set; }

    public string Arn => _snapshot.Arn;

    public DateTimeOffset Now => _context.Time.GetUtcNow();

    /// <summary>The current snapshot; under <see cref="Gate"/> it is also the one to change.</summary>
    public LocalTaskSnapshot Current
    {
        get
        {
            lock (Gate)
            {
                return _snapshot;
            }
        }
    }

    /// <summary>Replaces the snapshot; call under <see cref="Gate"/>.</summary>
    public void Change(Func<LocalTaskSnapshot, LocalTaskSnapshot> change) => _snapshot = change(_snapshot);

    /// <summary>Changes one container; call under <see cref="Gate"/>.</summary>
    public void ChangeContainer(string name, Func<LocalContainerSnapshot, LocalContainerSnapshot> change) =>
        _snapshot = _snapshot with { Containers = [.. _snapshot.Containers.Select(c => c.Name == name ? change(c) : c)] };

    public bool IsEssential(string container) => _snapshot.Definition.Containers.First(d => d.Name == container).Essential;

    /// <summary>Asks the task to stop (DEACTIVATING); false when it was already asked. Call under <see cref="Gate"/>.</summary>
    public bool RequestStopLocked(string reason, string stopCode)
    {
        if (_snapshot.DesiredStatus == Stopped)
        {
            return false;
        }
        Lifecycle.Fire(TaskTrigger.StopRequested);
        _snapshot = _snapshot with
        {
            DesiredStatus = Stopped,
            StoppingAt = Now,
            StoppedReason = reason,
            StopCode = stopCode,
        };
        Log.TaskStopping(_context.Logger, Arn, reason, stopCode);
        _context.Changed(_snapshot);
        return true;
    }

    /// <summary>The task becomes STOPPED, every container stopped; a task already STOPPED keeps its times. Under <see cref="Gate"/>.</summary>
    public void FinishLocked()
    {
        if (Lifecycle.Status == Stopped)
        {
            return;
        }
        Lifecycle.Fire(TaskTrigger.ContainersExited);
        var now = Now;
        _snapshot = _snapshot with
        {
            ExecutionStoppedAt = _snapshot.ExecutionStoppedAt ?? now,
            StoppedAt = now,
            Containers = [.. _snapshot.Containers.Select(c => c.LastStatus == Stopped ? c : c with { LastStatus = Stopped, FinishedAt = c.FinishedAt ?? now })],
        };
    }
}
