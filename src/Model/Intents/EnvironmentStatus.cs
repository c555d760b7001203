namespace Mirage.Model.Intents;

/// <summary>
/// What the reconciler last observed and did for one environment. Written without bumping the intent's revision;
/// <see cref="ObservedRevision"/> tells whether it is about the current intent.
/// </summary>
public sealed record EnvironmentStatus
{
    public required string Subdomain { get; init; }

    public long ObservedRevision { get; init; }

    public Lifecycle.LifecycleState State { get; init; } = Lifecycle.LifecycleState.Pending;

    public IReadOnlyList<Condition> Conditions { get; init; } = [];

    /// <summary>Task ARNs of the current revision.</summary>
    public IReadOnlyList<string> Tasks { get; init; } = [];

    /// <summary>Recent history, newest last, bounded.</summary>
    public IReadOnlyList<EnvironmentEvent> Events { get; init; } = [];

    /// <summary>How many times the tasks of the current revision were relaunched after stopping unexpectedly.</summary>
    public int Restarts { get; init; }

    /// <summary>Relaunches of the current revision after the infrastructure stopped its tasks; not counted as restarts.</summary>
    public int Recoveries { get; init; }

    /// <summary>When the environment slept, oldest first; the last one has no end while it sleeps. Bounded (<see cref="SleepInterval.Keep"/>).</summary>
    public IReadOnlyList<SleepInterval> Slept { get; init; } = [];
    /// <summary>The lease term of the leader that wrote it (0 with one replica); a store may refuse an older term's write.</summary>
    public long Term { get; init; }

    public Condition? Find(string type) => Conditions.FirstOrDefault(c => c.Type == type);
}
