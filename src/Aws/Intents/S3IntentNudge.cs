using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mirage.Aws.Resilience;
using Mirage.Aws.S3;
using Mirage.Model.Leadership;

namespace Mirage.Aws.Intents;

/// <summary>
/// Tells the leader at once that a follower wrote an intent, instead of at its next full refresh
/// (<see cref="S3IntentStoreRefresher.Interval"/>): a follower rewrites one small object
/// (<c>&lt;prefix&gt;cluster/nudge.json</c>) after each intent it saves or deletes, and the leader asks for that object
/// every poll interval with <c>If-None-Match</c> (304 while no follower wrote) and refreshes its intents when it
/// changed. Costs the leader one conditional GET per interval whatever n is (none while no other replica heartbeats),
/// and a follower one PUT per write.
/// </summary>
public sealed partial class S3IntentNudge(
    S3ObjectStore store,
    S3IntentStore intents,
    ILeadership leadership,
    TimeSpan pollInterval,
    TimeProvider time,
    ILogger<S3IntentNudge> logger) : BackgroundService
{
    private readonly S3ObjectWatch _nudge = new(store, intents.Location.Bucket, intents.Location.Prefix + "cluster/nudge.json");
    private readonly Channel<string> _written = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly FailureLatch _failures = new();
    private bool _seen;

    /// <summary>The object's key in the intent bucket.</summary>
    public string Key => _nudge.Key;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        intents.Written += OnWritten;
        leadership.LeadershipChanged += OnLeadershipChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (leadership.IsLeader)
                {
                    // A leader alone (no other replica heartbeats) has no follower to hear from.
                    if (HasFollowers())
                    {
                        await WatchOnceAsync(stoppingToken);
                    }
                    await WaitAsync(pollInterval, stoppingToken);
                }
                else
                {
                    // Writes that arrive while a nudge is being written are folded into the next one.
                    var subdomain = await _written.Reader.ReadAsync(stoppingToken);
                    if (!leadership.IsLeader && subdomain.Length > 0)
                    {
                        await NudgeAsync(subdomain, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            intents.Written -= OnWritten;
            leadership.LeadershipChanged -= OnLeadershipChanged;
        }
    }

    /// <summary>
    /// One leader round: reads the nudge object if it changed and then refreshes the intents. The first read only
    /// remembers the version, since a new leader starts from a full listing anyway. Returns true when it refreshed.
    /// </summary>
    public async Task<bool> WatchOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var first = !_seen;
            var nudged = await _nudge.ReadIfChangedAsync(cancellationToken) is not null;
            Recovered();
            _seen = true;
            if (!nudged || first)
            {
                return false;
            }
            var changed = await intents.RefreshAsync(cancellationToken);
            LogNudged(changed.Count);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Failed(e);
            return false;
        }
    }

    /// <summary>One follower round: rewrites the nudge object naming the intent just written.</summary>
    public async Task NudgeAsync(string subdomain, CancellationToken cancellationToken)
    {
        try
        {
            var nudge = new IntentNudge(leadership.ReplicaId, subdomain, time.GetUtcNow());
            await store.PutTextAsync(intents.Location.Bucket, _nudge.Key, JsonSerializer.Serialize(nudge, IntentNudgeJsonContext.Default.IntentNudge),
                S3WriteCondition.None, cancellationToken);
            Recovered();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The leader's periodic refresh still finds the intent; only the shortcut is lost.
            Failed(e);
        }
    }

    private bool HasFollowers() => leadership.View.Replicas.Any(r => r.Id != leadership.ReplicaId);

    private void OnWritten(string subdomain)
    {
        if (!leadership.IsLeader)
        {
            _written.Writer.TryWrite(subdomain);
        }
    }

    // Wakes a follower waiting for writes when it becomes the leader; a new leader starts with a fresh read.
    private void OnLeadershipChanged(bool leading)
    {
        _nudge.Forget();
        _seen = false;
        _written.Writer.TryWrite("");
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        await _written.Reader.DelayOrReadableAsync(delay, time, cancellationToken);
        // The leader's own writes need no nudge.
        _written.Reader.TryRead(out _);
    }

    private void Failed(Exception e)
    {
        if (_failures.Fail())
        {
            LogFailing(_nudge.Key, e.Message);
        }
    }

    private void Recovered()
    {
        if (_failures.Recover())
        {
            LogRecovered(_nudge.Key);
        }
    }

    [LoggerMessage(EventId = 2106, Level = LogLevel.Debug, Message = "A follower wrote an intent; {Count} intents changed")]
    private partial void LogNudged(int count);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "The intent nudge {Key} cannot be read or written; intents written on followers reach the leader at its next refresh: {Error}")]
    private partial void LogFailing(string key, string error);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information, Message = "The intent nudge {Key} is reachable again")]
    private partial void LogRecovered(string key);
}
