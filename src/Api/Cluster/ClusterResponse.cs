namespace Mirage.Api.Cluster;

/// <summary>
/// <c>GET /api/cluster</c>: the replicas, which one leads, the lease's term and age, and the route table this replica
/// serves. Every replica answers from what it last saw (no AWS call per request).
/// </summary>
/// <param name="Mode"><c>single</c> (no lease: this process runs everything) or <c>lease</c>.</param>
/// <param name="Self">The replica that answered.</param>
/// <param name="Leader">The lease holder, or null when nobody holds it.</param>
/// <param name="IsLeader">Whether the replica that answered leads.</param>
/// <param name="Term">The lease's term.</param>
/// <param name="LeaseAgeSeconds">Seconds since the answering replica last saw the lease taken or renewed.</param>
/// <param name="LeaseDurationSeconds">How long a lease lasts without renewal.</param>
/// <param name="LeaderSince">When the leader took its term (by its clock).</param>
public sealed record ClusterResponse(
    string Mode,
    string Self,
    string? Leader,
    bool IsLeader,
    long Term,
    double? LeaseAgeSeconds,
    double LeaseDurationSeconds,
    DateTimeOffset? LeaderSince,
    IReadOnlyList<ClusterReplica> Replicas,
    ClusterRoutes Routes);

/// <param name="SeenAt">Its last heartbeat, by its clock.</param>
public sealed record ClusterReplica(string Id, string Address, DateTimeOffset SeenAt, bool Leader);

/// <summary>The route table the answering replica's Edge serves.</summary>
/// <param name="Origin"><c>reconciler</c> (its own) or <c>shared</c> (the leader's).</param>
/// <param name="Subdomains">The routed subdomains and patterns, sorted.</param>
public sealed record ClusterRoutes(string Origin, long Version, int Count, IReadOnlyList<string> Subdomains);
