using System.Diagnostics;

namespace Mirage.LocalEcs.Processes;

/// <summary>
/// One container's process, started in its own session (so it is its own process group, Ctrl-C to Mirage does
/// not reach it, and a group signal reaches its children), or adopted by pid after a Mirage restart.
/// </summary>
internal sealed class ContainerProcess : IDisposable
{
    // sh only sets up the redirections, then setsid (util-linux, no --fork) calls setsid(2) and execs the program:
    // the pid stays the same through both execs, so .NET's Process tracks the real program and its exit code.
    private const string Wrapper = "o=$1; e=$2; shift 2; exec /usr/bin/setsid -- \"$@\" </dev/null >>\"$o\" 2>>\"$e\"";

    private readonly Process? _process;

    private ContainerProcess(int pid, long startTicks, Process? process, Task<int?> exited)
    {
        Pid = pid;
        StartTicks = startTicks;
        _process = process;
        Exited = exited;
    }

    public int Pid { get; }

    /// <summary>Start time in clock ticks after boot: with the pid, it tells this process from a later one that reuses the pid.</summary>
    public long StartTicks { get; }

    /// <summary>Completes when the process exits, with its exit code (null when not known: an adopted process).</summary>
    public Task<int?> Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    public static ContainerProcess Start(ProcessLaunch launch)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = launch.WorkingDirectory,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Wrapper);
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(launch.StdoutPath);
        info.ArgumentList.Add(launch.StderrPath);
        foreach (var arg in launch.Argv)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Clear();
        foreach (var (name, value) in launch.Environment)
        {
            info.Environment[name] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("the process did not start");
        var startTicks = ProcFs.TryReadStat(process.Id)?.StartTicks ?? 0;
        return new ContainerProcess(process.Id, startTicks, process, WaitAsync(process));
    }

    /// <summary>Watches a process Mirage did not start (it survived a Mirage restart); its exit code cannot be known.</summary>
    public static ContainerProcess Adopt(int pid, long startTicks, TimeProvider time, TimeSpan pollInterval, CancellationToken cancellationToken) =>
        new(pid, startTicks, null, PollAsync(pid, startTicks, time, pollInterval, cancellationToken));

    /// <summary>Signals the whole process group (the container's process and its children).</summary>
    public bool SignalGroup(int signal) => Posix.SignalGroup(Pid, signal);

    public void Dispose() => _process?.Dispose();

    private static async Task<int?> WaitAsync(Process process)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode;
    }

    private static async Task<int?> PollAsync(int pid, long startTicks, TimeProvider time, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        try
        {
            while (ProcFs.IsAlive(pid, startTicks))
            {
                await Task.Delay(pollInterval, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Mirage is shutting down; whoever cancelled no longer waits for this process.
        }
        return null;
    }
}
