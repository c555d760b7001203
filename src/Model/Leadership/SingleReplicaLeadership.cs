namespace Mirage.Model.Leadership;

/// <summary>
/// Local mode and single-replica AWS mode (no lease configured): this process always leads, term 0, and nothing is
/// asked of any store.
/// </summary>
public sealed class SingleReplicaLeadership(string replicaId, string address, TimeProvider time) : ILeadership
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public string ReplicaId => replicaId;

    public CancellationToken LeadingToken => CancellationToken.None;

    public bool IsLeader => true;

    // Never raised: leadership never changes.
    public event Action<bool>? LeadershipChanged
    {
        add { }
        remove { }
    }

    public long EnsureLeading(string write) => 0;

    public ClusterView View => new(replicaId, replicaId, 0, null, _startedAt, TimeSpan.Zero,
        [new ReplicaHeartbeat(replicaId, address, time.GetUtcNow())], "single");
}
