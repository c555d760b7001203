using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mirage.Aws.Resilience;
using Mirage.Aws.S3;
using Mirage.Model.Leadership;
using Mirage.Model.Routing;

namespace Mirage.Aws.Routing;

/// <summary>
/// Shares the leader's route table with every replica through one small object in the intent bucket
/// (<c>&lt;prefix&gt;cluster/routes.json</c>). The leader writes it after each change (changes that arrive while a
/// write is under way are folded into the next); a follower asks for it every poll interval with
/// <c>If-None-Match</c> (S3 answers 304 with no body while it is unchanged) and publishes what it reads to its own
/// Edge. A follower never goes back to an older term's table, and keeps serving its last good table while S3 fails.
/// </summary>
public sealed partial class S3RouteTableShare(
    S3ObjectStore store,
    S3Location intents,
    RouteTablePublisher publisher,
    ILeadership leadership,
    TimeSpan pollInterval,
    TimeProvider time,
    ILogger<S3RouteTableShare> logger) : BackgroundService
{
    private readonly S3ObjectWatch _table = new(store, intents.Bucket, intents.Prefix + "cluster/routes.json");
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly FailureLatch _failures = new();
    private long _highestTerm;

    /// <summary>The object's key in the intent bucket.</summary>
    public string Key => _table.Key;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        publisher.Published += OnPublished;
        leadership.LeadershipChanged += OnLeadershipChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (leadership.IsLeader)
                {
                    await LeadAsync(stoppingToken);
                }
                else
                {
                    await FollowOnceAsync(stoppingToken);
                    await WaitAsync(pollInterval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            publisher.Published -= OnPublished;
            leadership.LeadershipChanged -= OnLeadershipChanged;
        }
    }

    /// <summary>One follower round: reads the shared table if it changed. Returns true when a new table was published.</summary>
    public async Task<bool> FollowOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var changed = await _table.ReadIfChangedAsync(cancellationToken);
            Recovered();
            if (changed is null)
            {
                return false;
            }
            var shared = JsonSerializer.Deserialize(changed.Text, RoutingJsonContext.Default.SharedRouteTable)
                ?? throw new JsonException("the route table object is null");
            if (shared.Term < _highestTerm || leadership.IsLeader)
            {
                // An older leader's late write, or this replica took over meanwhile: not what the Edge should serve.
                return false;
            }
            _highestTerm = shared.Term;
            publisher.Publish(shared.Routes, RouteTableOrigin.Shared);
            LogFollowed(shared.Routes.Count, shared.Term, shared.Leader);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Failed(e);
            return false;
        }
    }

    private async Task LeadAsync(CancellationToken stoppingToken)
    {
        // A new leader shares its table at once (its term supersedes the last one), then after every change.
        var dirty = true;
        var leading = leadership.LeadingToken;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leading);
        try
        {
            while (!linked.IsCancellationRequested)
            {
                if (dirty)
                {
                    dirty = !await ShareAsync(linked.Token);
                    if (dirty)
                    {
                        await WaitAsync(pollInterval, linked.Token);
                        continue;
                    }
                }
                dirty = await _changes.Reader.ReadAsync(linked.Token);
            }
        }
        catch (OperationCanceledException) when (leading.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // Lost the lease: follow from now on, starting with a fresh read.
            _table.Forget();
        }
    }

    /// <summary>One leader round: writes the current table under this replica's term. False when S3 failed (tried again later).</summary>
    public async Task<bool> ShareAsync(CancellationToken cancellationToken)
    {
        try
        {
            var table = publisher.Current;
            var term = leadership.EnsureLeading("share the route table");
            var shared = new SharedRouteTable(term, table.Version, leadership.ReplicaId, time.GetUtcNow(), [.. table.Routes]);
            await store.PutTextAsync(intents.Bucket, _table.Key, JsonSerializer.Serialize(shared, RoutingJsonContext.Default.SharedRouteTable),
                S3WriteCondition.None, cancellationToken);
            _highestTerm = Math.Max(_highestTerm, term);
            Recovered();
            LogShared(shared.Routes.Count, term);
            return true;
        }
        catch (LeadershipLostException)
        {
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(e);
            return false;
        }
    }

    private void OnPublished(RouteTable table)
    {
        if (publisher.Origin == RouteTableOrigin.Reconciler)
        {
            _changes.Writer.TryWrite(true);
        }
    }

    // Wakes the loop so a new leader shares at once and a deposed one starts following.
    private void OnLeadershipChanged(bool leading) => _changes.Writer.TryWrite(true);

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        await _changes.Reader.DelayOrReadableAsync(delay, time, cancellationToken);
        // A follower has nothing to do with the leader's change signals.
        if (!leadership.IsLeader)
        {
            _changes.Reader.TryRead(out _);
        }
    }

    private void Failed(Exception e)
    {
        if (_failures.Fail())
        {
            LogFailing(_table.Key, e.Message);
        }
    }

    private void Recovered()
    {
        if (_failures.Recover())
        {
            LogRecovered(_table.Key);
        }
    }

    [LoggerMessage(EventId = 2060, Level = LogLevel.Debug, Message = "Shared {Count} routes as term {Term}")]
    private partial void LogShared(int count, long term);

    [LoggerMessage(EventId = 2061, Level = LogLevel.Debug, Message = "Serving the {Count} routes of term {Term} shared by {Leader}")]
    private partial void LogFollowed(int count, long term, string leader);

    [LoggerMessage(EventId = 2062, Level = LogLevel.Warning, Message = "The shared route table {Key} cannot be read or written; serving the last good table: {Error}")]
    private partial void LogFailing(string key, string error);

    [LoggerMessage(EventId = 2063, Level = LogLevel.Information, Message = "The shared route table {Key} is reachable again")]
    private partial void LogRecovered(string key);
}
