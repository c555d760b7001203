using Mirage.Model.Leadership;

namespace Mirage.Reconciler.Tests.Leadership;

/// <summary>The lease store's conditional semantics (as DynamoDbLeaseStore gets them from DynamoDB), in memory, for election unit tests.</summary>
internal sealed class InMemoryLeaseStore : ILeaseStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ReplicaHeartbeat> _replicas = new(StringComparer.Ordinal);
    private LeaseRecord _record = LeaseRecord.None;

    public LeaseRecord Record
    {
        get
        {
            lock (_gate)
            {
                return Snapshot();
            }
        }
    }

    public Task<LeaseRecord> HeartbeatAsync(ReplicaHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _replicas[heartbeat.Id] = heartbeat;
            return Task.FromResult(Snapshot());
        }
    }

    public Task<LeaseRecord?> TryAcquireAsync(LeaseRecord seen, ReplicaHeartbeat holder, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_record.Version != seen.Version)
            {
                return Task.FromResult<LeaseRecord?>(null);
            }
            _replicas[holder.Id] = holder;
            _record = new LeaseRecord(holder.Id, seen.Term + 1, seen.Version + 1, holder.SeenAt, holder.SeenAt, []);
            return Task.FromResult<LeaseRecord?>(Snapshot());
        }
    }

    public Task<LeaseRecord?> TryRenewAsync(ReplicaHeartbeat holder, long term, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_record.Holder != holder.Id || _record.Term != term)
            {
                return Task.FromResult<LeaseRecord?>(null);
            }
            _replicas[holder.Id] = holder;
            _record = _record with { Version = _record.Version + 1, RenewedAt = holder.SeenAt };
            return Task.FromResult<LeaseRecord?>(Snapshot());
        }
    }

    public Task<bool> ReleaseAsync(string holder, long term, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_record.Holder != holder || _record.Term != term)
            {
                return Task.FromResult(false);
            }
            _record = _record with { Holder = "", Version = _record.Version + 1 };
            return Task.FromResult(true);
        }
    }

    public Task ForgetReplicasAsync(IReadOnlyCollection<string> replicaIds, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var id in replicaIds)
            {
                _replicas.Remove(id);
            }
        }
        return Task.CompletedTask;
    }

    private LeaseRecord Snapshot() => _record with { Replicas = [.. _replicas.Values] };
}
