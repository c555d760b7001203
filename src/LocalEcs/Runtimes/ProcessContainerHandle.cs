using System.Globalization;
using Mirage.LocalEcs.Logs;
using Mirage.LocalEcs.Processes;
using Mirage.LocalEcs.Tasks;

namespace Mirage.LocalEcs.Runtimes;

/// <summary>A container run as a local process (its own session and process group), its output followed in files.</summary>
internal sealed class ProcessContainerHandle(ContainerProcess process, IReadOnlyList<LogFileTail> tails) : IContainerHandle
{
    public Task<int?> Exited => process.Exited;

    public string Description => "pid " + process.Pid.ToString(CultureInfo.InvariantCulture);

    public LocalContainerSnapshot Annotate(LocalContainerSnapshot container) =>
        container with { Pid = process.Pid, StartTicks = process.StartTicks };

    public void PollLogs()
    {
        foreach (var tail in tails)
        {
            tail.Poll();
        }
    }

    public Task FlushLogsAsync()
    {
        // The container is gone: its leftover children go too, as with a container's cgroup.
        process.SignalGroup(Posix.SigKill);
        foreach (var tail in tails)
        {
            tail.Poll();
            tail.Flush();
        }
        return Task.CompletedTask;
    }

    public Task SignalAsync(int signal)
    {
        process.SignalGroup(signal);
        return Task.CompletedTask;
    }

    public void Dispose() => process.Dispose();
}
