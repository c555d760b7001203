namespace Mirage.Model.Leadership;

/// <summary>One replica's last sign of life in the lease store.</summary>
/// <param name="Id">The replica's id (<c>MIRAGE_REPLICA_ID</c>, else host name and process id).</param>
/// <param name="Address">Where it listens, for operators (host:port).</param>
/// <param name="SeenAt">When it last wrote its heartbeat, by its own clock.</param>
public sealed record ReplicaHeartbeat(string Id, string Address, DateTimeOffset SeenAt);
