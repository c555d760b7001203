using Mirage.Model.Backend;
using Mirage.Model.Launch;

namespace Mirage.Reconciler.Reconciling;

/// <summary>One listing of Mirage's tasks, grouped by the subdomain in their tags.</summary>
public sealed class TaskObservation
{
    private readonly ILookup<string, ObservedTask> _running;
    private readonly ILookup<string, ObservedTask> _stopped;

    public TaskObservation(DateTimeOffset at, IReadOnlyList<ObservedTask> running, IReadOnlyList<ObservedTask> stopped)
    {
        At = at;
        Running = running;
        Stopped = stopped;
        _running = running.ToLookup(TaskTags.SubdomainOf, StringComparer.Ordinal);
        _stopped = stopped.ToLookup(TaskTags.SubdomainOf, StringComparer.Ordinal);
    }

    /// <summary>When the listing started: anything changed before this is in it.</summary>
    public DateTimeOffset At { get; }

    /// <summary>Tasks whose desired status is RUNNING (they may still be PENDING).</summary>
    public IReadOnlyList<ObservedTask> Running { get; }

    /// <summary>Tasks whose desired status is STOPPED (still stopping, or stopped recently).</summary>
    public IReadOnlyList<ObservedTask> Stopped { get; }

    public IEnumerable<string> Subdomains => _running.Select(g => g.Key);

    public IReadOnlyList<ObservedTask> RunningFor(string subdomain) => [.. _running[subdomain]];

    public IReadOnlyList<ObservedTask> StoppedFor(string subdomain) => [.. _stopped[subdomain]];
}
