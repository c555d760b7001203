using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Mirage.LocalEcs.Logs;
using Mirage.LocalEcs.Processes;
using Mirage.LocalEcs.Runtimes;
using Mirage.LocalEcs.Tasks.Lifecycle;
using Mirage.Model.Backend;
using static Mirage.Model.Backend.EcsTaskStatus;

namespace Mirage.LocalEcs.Tasks;

/// <summary>
/// One local task: its processes, their logs, and its ECS lifecycle. A single loop per task makes every state change
/// (start, readiness, exits, signals), so the only outside inputs are <see cref="RequestStop"/> and snapshots.
/// </summary>
internal sealed class LocalTask
{
    public const string Loopback = "127.0.0.1";

    private readonly Lock _gate = new();
    private readonly LocalTaskContext _context;
    private readonly Dictionary<string, IContainerHandle> _processes = [];
    private readonly Dictionary<string, LogBuffer> _logs = [];
    private readonly Dictionary<string, DateTimeOffset> _killAt = [];
    private readonly HashSet<string> _killed = [];
    private readonly CancellationTokenSource _loopCancellation = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LocalTaskSnapshot _state;
    private DateTimeOffset _pendingSince;
    private Task _loop = Task.CompletedTask;
    private readonly TaskLifecycle _lifecycle;

    public LocalTask(LocalTaskSnapshot state, LocalTaskContext context)
    {
        _state = state;
        _context = context;
        // Read and written under _gate: every Fire below holds it.
        _lifecycle = new TaskLifecycle(() => _state.LastStatus, status => _state = _state with { LastStatus = status });
        foreach (var container in state.Containers)
        {
            _logs[container.Name] = new LogBuffer(context.Options.LogLinesPerContainer, context.Options.LogBytesPerContainer);
        }
    }

    public string Arn => _state.Arn;

    public string TaskId => _state.TaskId;

    public Task Completion => _loop;

    private LocalEcsOptions Options => _context.Options;

    private DateTimeOffset Now => _context.Time.GetUtcNow();

    public LocalTaskSnapshot Snapshot()
    {
        lock (_gate)
        {
            return _state;
        }
    }

    /// <summary>Starts the processes (a new task) and the loop that watches them.</summary>
    public void Launch(Uri endpoint, string authorizationToken)
    {
        var journaled = Snapshot();
        _loop = Task.Run(() => RunAsync(() => StartContainersAsync(endpoint, authorizationToken, _loopCancellation.Token), journaled, _loopCancellation.Token));
    }

    /// <summary>
    /// Takes over a task from the journal of an earlier Mirage: live processes are watched again, dead ones recorded.
    /// Done before returning, so the first listing after a restart already shows what survived.
    /// </summary>
    public async Task ResumeAsync()
    {
        var journaled = Snapshot();
        if (journaled.LastStatus == Stopped)
        {
            // Kept only to be listed until its retention ends: nothing to watch, and nothing to wait for at shutdown.
            return;
        }
        await AdoptContainersAsync();
        _loop = Task.Run(() => RunAsync(() => Task.CompletedTask, journaled, _loopCancellation.Token));
    }

    /// <summary>Asks the task to stop; false when it was already stopping or stopped.</summary>
    public bool RequestStop(string reason, string stopCode)
    {
        bool changed;
        lock (_gate)
        {
            changed = RequestStopLocked(reason, stopCode);
        }
        Wake();
        return changed;
    }

    /// <summary>Stops watching without touching the processes: what a crash of Mirage looks like to the task.</summary>
    public async Task DetachAsync()
    {
        await _loopCancellation.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var process in _processes.Values)
        {
            process.Dispose();
        }
    }

    public IReadOnlyList<LogLine> ReadLogs(DateTimeOffset? since) =>
        [.. _logs.Values.SelectMany(b => b.Read(since)).OrderBy(l => l.Timestamp)];

    private async Task RunAsync(Func<Task> start, LocalTaskSnapshot persisted, CancellationToken cancellationToken)
    {
        try
        {
            await start();
            persisted = Persist(persisted);
            while (!cancellationToken.IsCancellationRequested)
            {
                var wake = _wake;
                PollLogs();
                await ReapExitedAsync();
                await SignalStoppingAsync();
                if (await CheckReadinessAsync(cancellationToken) || TryFinish())
                {
                    persisted = Persist(persisted);
                    if (Snapshot().LastStatus == Stopped)
                    {
                        await _context.Runtime.ReleaseAsync(Snapshot(), CancellationToken.None);
                        Log.TaskStopped(_context.Logger, Arn);
                        _context.Changed(Snapshot());
                        return;
                    }
                    continue;
                }
                persisted = Persist(persisted);
                await Task.WhenAny(wake.Task, Task.Delay(Options.PollInterval, _context.Time, cancellationToken));
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
            await KillAllAsync();
            lock (_gate)
            {
                RequestStopLocked($"LocalEcs failed to run the task: {ex.Message}", "TaskFailedToStart");
                FinishLocked();
            }
            Persist(persisted);
        }
    }

    private async Task StartContainersAsync(Uri endpoint, string authorizationToken, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_state.DesiredStatus == Stopped)
            {
                // Stopped before it started: nothing to launch, the loop finishes it.
                return;
            }
            var now = Now;
            _lifecycle.Fire(TaskTrigger.ContainersStarting);
            _state = _state with { PullStartedAt = now, PullStoppedAt = now };
            _pendingSince = now;
        }
        var runtime = _context.Runtime;
        var logFolder = Path.Combine(Options.LogFolder, TaskId);
        Directory.CreateDirectory(logFolder);
        var containerEndpoint = runtime.EndpointForContainers(endpoint);
        foreach (var definition in runtime.StartOrder(_state.Definition))
        {
            if (Snapshot().DesiredStatus == Stopped)
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
                lock (_gate)
                {
                    UpdateContainer(definition.Name, c => c with { LastStatus = Stopped, Reason = ex.Message, FinishedAt = Now });
                    RequestStopLocked(ex.Message, "TaskFailedToStart");
                }
                return;
            }
            lock (_gate)
            {
                _processes[definition.Name] = handle;
                UpdateContainer(definition.Name, c => handle.Annotate(c) with { LastStatus = Running, StartedAt = Now });
            }
            // Journaled before the next container starts, so a crash leaves no unknown container behind.
            _context.Journal.Write(Snapshot());
            Log.ContainerStarted(_context.Logger, Arn, definition.Name, handle.Description);
        }
    }

    private ContainerStart PrepareStart(TaskDefinitions.LocalContainerDefinition definition, Uri endpoint, string authorizationToken, string logFolder)
    {
        var task = Snapshot();
        var runtime = _context.Runtime;
        var inherited = runtime.ContainersSeeContainerPorts ? new Dictionary<string, string>() : _context.InheritedEnvironment;
        var environment = TaskEnvironment.Build(inherited, task, definition, endpoint, authorizationToken, Options.Region, runtime.ContainersSeeContainerPorts);
        var (own, all) = TaskEnvironment.PortsFor(task, definition.Name, runtime.ContainersSeeContainerPorts);
        var argv = definition.Argv.Select(a => PortExpansion.Expand(a, own, all)).ToList();
        return new ContainerStart(task, definition, environment, argv, definition.EntryPointCount, logFolder, _logs[definition.Name], id =>
        {
            lock (_gate)
            {
                UpdateContainer(definition.Name, c => c with { ContainerId = id });
            }
        });
    }

    private async Task AdoptContainersAsync()
    {
        lock (_gate)
        {
            _pendingSince = Now;
            if (_state.LastStatus == Stopped)
            {
                return;
            }
        }
        foreach (var container in Snapshot().Containers)
        {
            var essential = _state.Definition.Containers.First(d => d.Name == container.Name).Essential;
            if (container.LastStatus == Stopped)
            {
                continue;
            }
            var adopted = await _context.Runtime.AdoptAsync(Snapshot(), container, _logs[container.Name], _loopCancellation.Token);
            lock (_gate)
            {
                if (!ReferenceEquals(adopted.Container, container))
                {
                    UpdateContainer(container.Name, _ => adopted.Container);
                    _context.Journal.Write(_state);
                }
                if (adopted.Handle is not { } handle)
                {
                    UpdateContainer(container.Name, c => c with { LastStatus = Stopped, Reason = adopted.GoneReason, ExitCode = adopted.ExitCode, FinishedAt = Now });
                    if (adopted.NeverStarted)
                    {
                        RequestStopLocked("Mirage stopped before the task's processes started", "TaskFailedToStart");
                    }
                    else if (essential)
                    {
                        RequestStopLocked("Task process exited while Mirage was not running", "EssentialContainerExited");
                    }
                    continue;
                }
                _processes[container.Name] = handle;
                // A crash can come before the journal said RUNNING/PENDING: a live process is running, and its task
                // at least pending, so the readiness check can take it to RUNNING.
                UpdateContainer(container.Name, c => c.LastStatus == Running ? c : c with { LastStatus = Running });
                if (_lifecycle.Status == Provisioning)
                {
                    _lifecycle.Fire(TaskTrigger.ContainersStarting);
                }
                _logs[container.Name].Add(new LogLine(Now, container.Name, "[mirage] re-attached to this process after a Mirage restart; its earlier output is not available here"));
                Log.ContainerAdopted(_context.Logger, Arn, container.Name, handle.Description);
            }
        }
    }

    private void PollLogs()
    {
        foreach (var handle in _processes.Values)
        {
            handle.PollLogs();
        }
    }

    private async Task ReapExitedAsync()
    {
        foreach (var (name, process) in _processes)
        {
            if (!process.HasExited || Snapshot().Containers.First(c => c.Name == name).LastStatus == Stopped)
            {
                continue;
            }
            var exitCode = await process.Exited;
            await process.FlushLogsAsync();
            var essential = _state.Definition.Containers.First(d => d.Name == name).Essential;
            lock (_gate)
            {
                UpdateContainer(name, c => c with
                {
                    LastStatus = Stopped,
                    ExitCode = exitCode,
                    FinishedAt = Now,
                    Reason = exitCode is null ? "exit code unknown: the container was re-attached after a Mirage restart, or removed from outside" : c.Reason,
                });
                if (essential)
                {
                    RequestStopLocked("Essential container in task exited", "EssentialContainerExited");
                }
            }
            Log.ContainerExited(_context.Logger, Arn, name, exitCode);
        }
    }

    private async Task SignalStoppingAsync()
    {
        if (Snapshot().DesiredStatus != Stopped)
        {
            return;
        }
        foreach (var (name, process) in _processes)
        {
            if (process.HasExited)
            {
                continue;
            }
            if (!_killAt.TryGetValue(name, out var killAt))
            {
                var grace = _state.Definition.Containers.First(d => d.Name == name).StopTimeout ?? Options.StopGracePeriod;
                _killAt[name] = Now + grace;
                await process.SignalAsync(Posix.SigTerm);
            }
            else if (Now >= killAt && _killed.Add(name))
            {
                Log.ContainerKilled(_context.Logger, Arn, name);
                await process.SignalAsync(Posix.SigKill);
            }
        }
        lock (_gate)
        {
            if (_lifecycle.Status == Deactivating)
            {
                _lifecycle.Fire(TaskTrigger.ContainersSignalled);
            }
        }
    }

    /// <summary>PENDING becomes RUNNING once every running container's ports accept connections; true on a change.</summary>
    private async Task<bool> CheckReadinessAsync(CancellationToken cancellationToken)
    {
        LocalTaskSnapshot task;
        lock (_gate)
        {
            // A task re-attached after a crash was moved from PROVISIONING to PENDING when a live process was found.
            task = _state;
            if (!_lifecycle.CanFire(TaskTrigger.PortsReady) || task.DesiredStatus != Running || _processes.Count == 0)
            {
                return false;
            }
        }
        foreach (var container in task.Containers.Where(c => _processes.ContainsKey(c.Name)))
        {
            foreach (var port in container.Ports)
            {
                if (!await AcceptsConnectionsAsync(port.HostPort, cancellationToken))
                {
                    if (Now - _pendingSince < Options.PortReadyTimeout)
                    {
                        return false;
                    }
                    lock (_gate)
                    {
                        RequestStopLocked(
                            $"Task failed to start: port {port.ContainerPort} of container {container.Name} (127.0.0.1:{port.HostPort}) did not accept connections within {Options.PortReadyTimeout.TotalSeconds:0} s",
                            "TaskFailedToStart");
                    }
                    return true;
                }
            }
        }
        lock (_gate)
        {
            if (!_lifecycle.CanFire(TaskTrigger.PortsReady) || _state.DesiredStatus != Running)
            {
                return false;
            }
            _lifecycle.Fire(TaskTrigger.PortsReady);
            _state = _state with { StartedAt = Now };
        }
        Log.TaskRunning(_context.Logger, Arn);
        _context.Changed(Snapshot());
        return true;
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>A stopping task whose processes have all exited becomes STOPPED.</summary>
    private bool TryFinish()
    {
        lock (_gate)
        {
            if (_state.DesiredStatus != Stopped || _state.LastStatus == Stopped || _processes.Values.Any(p => !p.HasExited))
            {
                return false;
            }
            if (_processes.Any(p => _state.Containers.First(c => c.Name == p.Key).LastStatus != Stopped))
            {
                // Exited but not reaped yet: the next pass records its exit code first.
                return false;
            }
            FinishLocked();
            return true;
        }
    }

    /// <summary>The task becomes STOPPED, with every container stopped; nothing changes for a task already STOPPED.</summary>
    private void FinishLocked()
    {
        if (_lifecycle.Status == Stopped)
        {
            return;
        }
        _lifecycle.Fire(TaskTrigger.ContainersExited);
        var now = Now;
        _state = _state with
        {
            ExecutionStoppedAt = _state.ExecutionStoppedAt ?? now,
            StoppedAt = now,
            Containers = [.. _state.Containers.Select(c => c.LastStatus == Stopped ? c : c with { LastStatus = Stopped, FinishedAt = c.FinishedAt ?? now })],
        };
    }

    private bool RequestStopLocked(string reason, string stopCode)
    {
        if (_state.DesiredStatus == Stopped)
        {
            return false;
        }
        _lifecycle.Fire(TaskTrigger.StopRequested);
        _state = _state with
        {
            DesiredStatus = Stopped,
            StoppingAt = Now,
            StoppedReason = reason,
            StopCode = stopCode,
        };
        Log.TaskStopping(_context.Logger, Arn, reason, stopCode);
        _context.Changed(_state);
        return true;
    }

    private void UpdateContainer(string name, Func<LocalContainerSnapshot, LocalContainerSnapshot> change) =>
        _state = _state with { Containers = [.. _state.Containers.Select(c => c.Name == name ? change(c) : c)] };

    private LocalTaskSnapshot Persist(LocalTaskSnapshot persisted)
    {
        var current = Snapshot();
        if (!ReferenceEquals(current, persisted))
        {
            _context.Journal.Write(current);
        }
        return current;
    }

    private async Task KillAllAsync()
    {
        foreach (var process in _processes.Values.Where(p => !p.HasExited))
        {
            await process.SignalAsync(Posix.SigKill);
        }
    }

    private void Wake() => Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
