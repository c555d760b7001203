using Mirage.LocalEcs.Tasks;

namespace Mirage.LocalEcs.Runtimes;

/// <summary>One running (or exited) container of a local task.</summary>
internal interface IContainerHandle : IDisposable
{
    /// <summary>Completes when the container exits, with its exit code (null when it cannot be known).</summary>
    Task<int?> Exited { get; }

    bool HasExited => Exited.IsCompleted;

    /// <summary>How the journal and the logs name it: "pid 123" or "container 0123456789ab".</summary>
    string Description { get; }

    /// <summary>The journal entry with this container's identity (pid and start ticks, or engine container id and address).</summary>
    LocalContainerSnapshot Annotate(LocalContainerSnapshot container);

    /// <summary>Takes in output written since the last call (runtimes that stream their logs do nothing here).</summary>
    void PollLogs();

    /// <summary>Takes in the last output once the container has exited.</summary>
    Task FlushLogsAsync();

    /// <summary>Sends SIGTERM or SIGKILL to the container (its process group, or the engine's container).</summary>
    Task SignalAsync(int signal);
}
