using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mirage.Model.Leadership;

namespace Mirage.Reconciler.Leadership;

/// <summary>
/// Leader election over an <see cref="ILeaseStore"/>. Every <see cref="LeaseOptions.RenewInterval"/> the leader
/// renews (a write conditional on its holder and term) and each follower heartbeats, reading the lease back. A
/// follower takes the lease when it is released, or when it has seen the same version of it for a whole lease
/// duration on its own monotonic clock (the takeover is conditional on that version, so of several followers one
/// wins). No replica compares its wall clock with another's: the leader's own deadline is measured from just before
/// it sent its last successful renewal, which is earlier than any follower can have first seen that renewal, so the
/// leader always knows its lease is gone before anyone may take it. Losing the lease (a refused renewal, the deadline
/// passing — e.g. after the process was paused — or a fenced write refused) cancels <see cref="LeadingToken"/> at
/// once. A graceful stop gives the lease up so another replica takes it without waiting.
/// </summary>
public sealed partial class LeaseElection(
    ILeaseStore store,
    ReplicaIdentity identity,
    LeaseOptions options,
    TimeProvider time,
    ILogger<LeaseElection> logger) : BackgroundService, ILeadership
{
    private readonly Lock _gate = new();
    private static readonly TimeSpan MinimumRound = TimeSpan.FromMilliseconds(50);

    private readonly ReplicaHeartbeat _self = new(identity.Id, identity.Address, DateTimeOffset.MinValue);

    // Guarded by _gate.
    private CancellationTokenSource? _leading;
    private long _term;
    private long _deadline;
    private LeaseRecord _seen = LeaseRecord.None;
    private long _seenSince;
    private bool _seenAny;

    public string ReplicaId => identity.Id;

    public event Action<bool>? LeadershipChanged;

    public bool IsLeader
    {
        get
        {
            lock (_gate)
            {
                return _leading is not null && time.GetTimestamp() < _deadline;
            }
        }
    }

    public CancellationToken LeadingToken
    {
        get
        {
            lock (_gate)
            {
                return _leading?.Token ?? new CancellationToken(canceled: true);
            }
        }
    }

    public long EnsureLeading(string write)
    {
        string reason;
        long term;
        lock (_gate)
        {
            term = _term;
            if (_leading is null)
            {
                reason = "this replica does not hold the lease";
            }
            else if (time.GetTimestamp() >= _deadline)
            {
                reason = "the lease may have expired (not renewed in time; was the process paused?)";
            }
            else
            {
                return _term;
            }
        }
        LogFenced(write, term, reason);
        StepDown(reason);
        throw new LeadershipLostException(write, term, reason);
    }

    public ClusterView View
    {
        get
        {
            lock (_gate)
            {
                var now = time.GetUtcNow();
                TimeSpan? age = _seenAny ? time.GetElapsedTime(_seenSince) : null;
                // Heartbeats older than three leases belong to replicas that are gone (shown by their own clocks).
                var live = _seen.Replicas.Where(r => now - r.SeenAt < options.LeaseDuration * 3).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
                return new ClusterView(identity.Id, _seen.IsHeld ? _seen.Holder : null, _seen.Term, age,
                    _seen.IsHeld ? _seen.AcquiredAt : null, options.LeaseDuration, live, "lease");
            }
        }
    }

    /// <summary>One round: renew (leader) or heartbeat and maybe take the lease (follower). Tests call it directly.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        long? heldTerm;
        bool expired;
        lock (_gate)
        {
            heldTerm = _leading is null ? null : _term;
            expired = heldTerm is not null && time.GetTimestamp() >= _deadline;
        }
        if (expired)
        {
            // Paused, or the store was unreachable for a whole lease: another replica may lead by now.
            StepDown("the lease was not renewed before its deadline");
            heldTerm = null;
        }
        var heartbeat = _self with { SeenAt = time.GetUtcNow() };
        var sentAt = time.GetTimestamp();
        if (heldTerm is { } term)
        {
            var renewed = await store.TryRenewAsync(heartbeat, term, cancellationToken);
            if (renewed is null)
            {
                StepDown("another replica holds the lease");
                return;
            }
            lock (_gate)
            {
                Observe(renewed);
                if (_leading is not null && _term == term)
                {
                    _deadline = sentAt + Ticks(options.LeaseDuration - options.DriftMargin);
                }
            }
            await ForgetGoneReplicasAsync(renewed, cancellationToken);
            return;
        }

        var record = await store.HeartbeatAsync(heartbeat, cancellationToken);
        bool mayTake;
        lock (_gate)
        {
            Observe(record);
            mayTake = !record.IsHeld || time.GetElapsedTime(_seenSince) >= options.LeaseDuration;
        }
        if (!mayTake)
        {
            return;
        }
        sentAt = time.GetTimestamp();
        if (await store.TryAcquireAsync(record, heartbeat, cancellationToken) is { } taken)
        {
            BecomeLeader(taken, sentAt, record);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A store that hangs must not hold a round past the next one: the deadline check runs every round.
                using var attempt = new CancellationTokenSource(options.RenewInterval, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, attempt.Token);
                await TickAsync(linked.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The store is unreachable: a leader keeps leading until its own deadline, then steps down (next round).
                LogTickFailed(e.Message);
            }
            try
            {
                await Task.Delay(NextRoundIn(), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// A renew interval, or less for a follower whose lease could be taken sooner: it looks again the moment the
    /// lease it watches may have expired, not up to a whole interval later.
    /// </summary>
    public TimeSpan NextRoundIn()
    {
        lock (_gate)
        {
            if (_leading is not null || !_seen.IsHeld || !_seenAny)
            {
                return options.RenewInterval;
            }
            var untilExpiry = options.LeaseDuration - time.GetElapsedTime(_seenSince);
            return untilExpiry <= MinimumRound ? MinimumRound : untilExpiry < options.RenewInterval ? untilExpiry : options.RenewInterval;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        long? term;
        lock (_gate)
        {
            term = _leading is null ? null : _term;
        }
        if (term is null)
        {
            return;
        }
        StepDown("this replica is stopping");
        try
        {
            if (await store.ReleaseAsync(identity.Id, term.Value, cancellationToken))
            {
                LogReleased(term.Value);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not released: another replica takes it once it expires.
            LogReleaseFailed(term.Value, e.Message);
        }
    }

    public override void Dispose()
    {
        lock (_gate)
        {
            _leading?.Dispose();
            _leading = null;
        }
        base.Dispose();
    }

    private void BecomeLeader(LeaseRecord taken, long sentAt, LeaseRecord previous)
    {
        lock (_gate)
        {
            Observe(taken);
            _term = taken.Term;
            _deadline = sentAt + Ticks(options.LeaseDuration - options.DriftMargin);
            _leading = new CancellationTokenSource();
        }
        LogAcquired(identity.Id, taken.Term, previous.IsHeld ? previous.Holder : "nobody");
        LeadershipChanged?.Invoke(true);
    }

    private void StepDown(string reason)
    {
        CancellationTokenSource? leading;
        long term;
        lock (_gate)
        {
            leading = _leading;
            _leading = null;
            term = _term;
            _deadline = 0;
        }
        if (leading is null)
        {
            return;
        }
        LogSteppedDown(identity.Id, term, reason);
        // Cancelling first: the leader's loops stop at their next await, before anyone hears of the change.
        leading.Cancel();
        leading.Dispose();
        LeadershipChanged?.Invoke(false);
    }

    // Called under _gate: remembers when this version of the lease was first seen.
    private void Observe(LeaseRecord record)
    {
        if (!_seenAny || record.Version != _seen.Version || record.Holder != _seen.Holder)
        {
            _seenSince = time.GetTimestamp();
            _seenAny = true;
        }
        _seen = record;
    }

    private async Task ForgetGoneReplicasAsync(LeaseRecord record, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var gone = record.Replicas.Where(r => now - r.SeenAt > options.LeaseDuration * 10).Select(r => r.Id).ToList();
        if (gone.Count > 0)
        {
            await store.ForgetReplicasAsync(gone, cancellationToken);
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "Replica {Replica} leads as term {Term} (took over from {Previous})")]
    private partial void LogAcquired(string replica, long term, string previous);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Replica {Replica} stepped down from term {Term}: {Reason}")]
    private partial void LogSteppedDown(string replica, long term, string reason);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "Released the lease of term {Term}")]
    private partial void LogReleased(long term);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "Could not release the lease of term {Term}; it expires on its own: {Error}")]
    private partial void LogReleaseFailed(long term, string error);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Warning, Message = "Lease store unreachable: {Error}")]
    private partial void LogTickFailed(string error);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Warning, Message = "Refused a leader-only write ({Write}) of term {Term}: {Reason}")]
    private partial void LogFenced(string write, long term, string reason);
}
