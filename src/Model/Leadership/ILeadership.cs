namespace Mirage.Model.Leadership;

/// <summary>
/// Whether this replica leads, and the guard every leader-only write passes through. Only the leader reconciles,
/// purges on schedule, applies the GitOps file and writes Route53 links; every replica serves the API, UI and Edge.
/// </summary>
public interface ILeadership
{
    /// <summary>This replica's id.</summary>
    string ReplicaId { get; }

    /// <summary>Cancelled the moment leadership is lost; an already-cancelled token while this replica follows.</summary>
    CancellationToken LeadingToken { get; }

    bool IsLeader { get; }

    /// <summary>Raised (on a background thread) when this replica gains or loses leadership.</summary>
    event Action<bool>? LeadershipChanged;

    /// <summary>
    /// The fence: returns the term to write under when this replica leads and its lease cannot have expired yet by
    /// its own monotonic clock; otherwise steps down and throws <see cref="LeadershipLostException"/>. Call it right
    /// before each leader-only side effect.
    /// </summary>
    long EnsureLeading(string write);

    /// <summary>The cluster as this replica last saw it.</summary>
    ClusterView View { get; }
}
