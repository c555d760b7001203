using Microsoft.Extensions.Logging;
using Mirage.LocalEcs.Tasks.Readiness;
using Mirage.LocalEcs.Tasks.Starting;
using Mirage.LocalEcs.Tasks.Stopping;
using Mirage.Model.Backend;
using static Mirage.Model.Backend.EcsTaskStatus;

namespace Mirage.LocalEcs.Tasks;

/// <summary>
/// One local task and the loop that watches it. A single loop per task makes every state change (start, readiness,
/// exits, signals), so the only outside inputs are <see cref="RequestStop"/> and snapshots. What each step does
/// lives in its own type: <see cref="ContainerLauncher"/>, <see cref="ContainerAdoption"/>,
/// <see cref="ReadinessProbe"/>, <see cref="StopEscalation"/> and <see cref="TaskJournaling"/>.
/// </summary>
internal sealed class LocalTask
{
    public const string Loopback = "127.0.0.1";

    private readonly LocalTaskContext _context;
    private readonly LocalTaskState _task;
    private readonly TaskJournaling _journaling;
    private readonly ContainerLauncher _launcher;
    private readonly ContainerAdoption _adoption;
    private readonly ReadinessProbe _readiness;
    private readonly StopEscalation _stopping;
    private readonly CancellationTokenSource _loopCancellation = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;

    public LocalTask(LocalTaskSnapshot state, LocalTaskContext context)
    {
        _context = context;
        _task = new LocalTaskState(state, context);
        _journaling = new TaskJournaling(_task, context.Journal);
        _launcher = new ContainerLauncher(_task, context, _journaling);
        _adoption = new ContainerAdoption(_task, context, _journaling);
        _readiness = new ReadinessProbe(_task, context);
        _stopping = new StopEscalation(_task, context);
    }

    public string Arn => _task.Arn;

    public string TaskId => _task.Current.TaskId;

    public Task Completion => _loop;

    public LocalTaskSnapshot Snapshot() => _task.Current;

    /// <summary>Starts the processes (a new task) and the loop that watches them.</summary>
    public void Launch(Uri endpoint, string authorizationToken)
    {
        _journaling.Journaled(Snapshot());
        _loop = Task.Run(() => RunAsync(() => _launcher.StartAsync(endpoint, authorizationToken, _loopCancellation.Token), _loopCancellation.Token));
    }

    /// <summary>
    /// Takes over a task from the journal of an earlier Mirage: live processes are watched again, dead ones recorded.
    /// Done before returning, so the first listing after a restart already shows what survived.
    /// </summary>
    public async Task ResumeAsync()
    {
        var journaled = Snapshot();
        _journaling.Journaled(journaled);
        if (journaled.LastStatus == Stopped)
        {
            // Kept only to be listed until its retention ends: nothing to watch, and nothing to wait for at shutdown.
            return;
        }
        await _adoption.AdoptAsync(_loopCancellation.Token);
        _loop = Task.Run(() => RunAsync(() => Task.CompletedTask, _loopCancellation.Token));
    }

    /// <summary>Asks the task to stop; false when it was already stopping or stopped.</summary>
    public bool RequestStop(string reason, string stopCode)
    {
        bool changed;
        lock (_task.Gate)
        {
            changed = _task.RequestStopLocked(reason, stopCode);
        }
        Wake();
        return changed;
    }

    /// <summary>Stops watching without touching the processes: what a crash of Mirage looks like to the task.</summary>
    public async Task DetachAsync()
    {
        await _loopCancellation.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var process in _task.Processes.Values)
        {
            process.Dispose();
        }
    }

    public IReadOnlyList<LogLine> ReadLogs(DateTimeOffset? since) =>
        [.. _task.Logs.Values.SelectMany(b => b.Read(since)).OrderBy(l => l.Timestamp)];

    private async Task RunAsync(Func<Task> start, CancellationToken cancellationToken)
    {
        try
        {
            await start();
            _journaling.Persist();
            while (!cancellationToken.IsCancellationRequested)
            {
                var wake = _wake;
                PollLogs();
                await ReapExitedAsync();
                await _stopping.SignalAsync();
                if (await _readiness.CheckAsync(cancellationToken) || TryFinish())
                {
                    _journaling.Persist();
                    if (Snapshot().LastStatus == Stopped)
                    {
                        await _context.Runtime.ReleaseAsync(Snapshot(), CancellationToken.None);
                        Log.TaskStopped(_context.Logger, Arn);
                        _context.Changed(Snapshot());
                        return;
                    }
                    continue;
                }
                _journaling.Persist();
                await Task.WhenAny(wake.Task, Task.Delay(_context.Options.PollInterval, _context.Time, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Detached: the processes keep running, the journal keeps the last persisted state.
        }
        // Anything else would leave the task stuck and its processes unwatched: fail the task and kill them.
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.TaskLoopFailed(_context.Logger, ex, Arn);
            await _stopping.KillAllAsync();
            lock (_task.Gate)
            {
                _task.RequestStopLocked($"LocalEcs failed to run the task: {ex.Message}", "TaskFailedToStart");
                _task.FinishLocked();
            }
            _journaling.Persist();
        }
    }

    private void PollLogs()
    {
        foreach (var handle in _task.Processes.Values)
        {
            handle.PollLogs();
        }
    }

    /// <summary>Records each container that exited (its exit code) and stops the task when an essential one did.</summary>
    private async Task ReapExitedAsync()
    {
        foreach (var (name, process) in _task.Processes)
        {
            if (!process.HasExited || Snapshot().Containers.First(c => c.Name == name).LastStatus == Stopped)
            {
                continue;
            }
            var exitCode = await process.Exited;
            await process.FlushLogsAsync();
            lock (_task.Gate)
            {
                _task.ChangeContainer(name, c => c with
                {
                    LastStatus = Stopped,
                    ExitCode = exitCode,
                    FinishedAt = _task.Now,
                    Reason = exitCode is null ? "exit code unknown: the container was re-attached after a Mirage restart, or removed from outside" : c.Reason,
                });
                if (_task.IsEssential(name))
                {
                    _task.RequestStopLocked("Essential container in task exited", "EssentialContainerExited");
                }
            }
            Log.ContainerExited(_context.Logger, Arn, name, exitCode);
        }
    }

    /// <summary>A stopping task whose processes have all exited and been reaped becomes STOPPED.</summary>
    private bool TryFinish()
    {
        lock (_task.Gate)
        {
            var snapshot = _task.Current;
            if (snapshot.DesiredStatus != Stopped || snapshot.LastStatus == Stopped || _task.Processes.Values.Any(p => !p.HasExited))
            {
                return false;
            }
            if (_task.Processes.Any(p => snapshot.Containers.First(c => c.Name == p.Key).LastStatus != Stopped))
            {
                // Exited but not reaped yet: the next pass records its exit code first.
                return false;
            }
            _task.FinishLocked();
            return true;
        }
    }

    private void Wake() => Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
