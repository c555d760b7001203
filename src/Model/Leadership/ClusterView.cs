namespace Mirage.Model.Leadership;

/// <summary>The cluster as one replica last saw it (<c>GET /api/cluster</c>, the web UI's footer).</summary>
/// <param name="Self">This replica's id.</param>
/// <param name="Leader">The lease holder, or null when nobody holds it.</param>
/// <param name="Term">The lease's term (0 in single-replica mode).</param>
/// <param name="LeaseAge">How long ago this replica last saw the lease written (renewed or taken), by its own clock.</param>
/// <param name="LeaderSince">When the leader took this term, by the leader's clock.</param>
/// <param name="LeaseDuration">How long a lease lasts without renewal.</param>
/// <param name="Replicas">Replicas that heartbeated recently.</param>
/// <param name="Mode"><c>single</c> (no lease: this process always leads) or <c>lease</c>.</param>
public sealed record ClusterView(
    string Self,
    string? Leader,
    long Term,
    TimeSpan? LeaseAge,
    DateTimeOffset? LeaderSince,
    TimeSpan LeaseDuration,
    IReadOnlyList<ReplicaHeartbeat> Replicas,
    string Mode);
