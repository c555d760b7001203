namespace Mirage.Model.Leadership;

/// <summary>
/// Where replicas elect a leader: one record written only by conditional writes. Every method is one request to the
/// store; a condition that does not hold is an answer (null or false), not an exception.
/// </summary>
public interface ILeaseStore
{
    /// <summary>Records <paramref name="heartbeat"/> and returns the lease as it is after that write.</summary>
    Task<LeaseRecord> HeartbeatAsync(ReplicaHeartbeat heartbeat, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the lease for <paramref name="holder"/> as term <c>seen.Term + 1</c>, only if the record is still
    /// <paramref name="seen"/> (same version, or still absent when <paramref name="seen"/> has version 0). Null when
    /// another replica wrote first.
    /// </summary>
    Task<LeaseRecord?> TryAcquireAsync(LeaseRecord seen, ReplicaHeartbeat holder, CancellationToken cancellationToken);

    /// <summary>Extends the lease only while <paramref name="holder"/> still holds <paramref name="term"/>; null when it does not.</summary>
    Task<LeaseRecord?> TryRenewAsync(ReplicaHeartbeat holder, long term, CancellationToken cancellationToken);

    /// <summary>Gives the lease up (another replica may take it at once) if <paramref name="holder"/> still holds <paramref name="term"/>.</summary>
    Task<bool> ReleaseAsync(string holder, long term, CancellationToken cancellationToken);

    /// <summary>Drops the heartbeats of replicas gone for good, so the cluster view lists only live ones.</summary>
    Task ForgetReplicasAsync(IReadOnlyCollection<string> replicaIds, CancellationToken cancellationToken);
}
