using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Mirage.Aws.Intents;
using Mirage.Aws.S3;
using Mirage.Aws.Tests.Leadership;
using Mirage.Aws.Tests.Moto;
using Mirage.Model.Intents;
using Mirage.Model.Leadership;

namespace Mirage.Aws.Tests.Intents;

/// <summary>A follower's intent write reaching the leader through the nudge object, the leader reading through a proxy that records its calls.</summary>
[Collection(MotoCollection.Name)]
public sealed class S3IntentNudgeTests(MotoFixture moto) : IAsyncLifetime
{
    private static readonly S3Location Location = S3Location.Parse("s3://mirage-state/intents/");
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await moto.ResetAsync(Token);
        await using var aws = new AwsClients(moto.Endpoint);
        await aws.Services.GetRequiredService<IAmazonS3>().PutBucketAsync(Location.Bucket, Token);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_follower_write_reaches_the_leader_at_its_next_poll_and_an_unchanged_nudge_costs_one_304()
    {
        await using var pair = await ReplicaPair.StartAsync(moto.Endpoint);
        var (proxy, leaderIntents, followerIntents, follower) = (pair.Proxy, pair.LeaderIntents, pair.FollowerIntents, pair.Follower);
        var leader = pair.Leader;
        Assert.Empty(await leaderIntents.ListAsync(Token));
        var changed = new List<string>();
        leaderIntents.Changed += changed.Add;

        // The leader's first read finds no nudge yet; the first one a follower writes counts.
        Assert.False(await leader.WatchOnceAsync(Token));
        await followerIntents.SaveAsync(Intent("feature-a"), 0, Token);
        await follower.NudgeAsync("feature-a", Token);
        Assert.True(await leader.WatchOnceAsync(Token));
        Assert.NotNull(await leaderIntents.GetAsync("feature-a", Token));

        // A new leader's first read only remembers the version: it starts from a full listing anyway.
        leader = Nudge(pair.LeaderAws.S3, leaderIntents, new StubLeadership("replica-1", leading: true, term: 3));
        Assert.False(await leader.WatchOnceAsync(Token));

        // Unchanged: one conditional GET answered 304, and no listing.
        var before = proxy.Requests.Count;
        Assert.False(await leader.WatchOnceAsync(Token));
        var unchanged = proxy.Requests.Skip(before).ToList();
        Assert.Equal([("GET", 304)], unchanged.Select(r => (r.Method, r.Status)));

        // A follower's write: the leader refreshes and sees it, without waiting for its periodic refresh.
        await followerIntents.SaveAsync(Intent("feature-b"), 0, Token);
        await follower.NudgeAsync("feature-b", Token);
        Assert.True(await leader.WatchOnceAsync(Token));
        Assert.NotNull(await leaderIntents.GetAsync("feature-b", Token));
        Assert.Contains("feature-b", changed);
    }

    [Fact]
    public async Task The_leader_keeps_polling_while_S3_fails_and_picks_up_the_write_after()
    {
        await using var pair = await ReplicaPair.StartAsync(moto.Endpoint);
        var (proxy, leaderIntents, followerIntents, follower) = (pair.Proxy, pair.LeaderIntents, pair.FollowerIntents, pair.Follower);
        var leader = pair.Leader;
        await leaderIntents.ListAsync(Token);
        await follower.NudgeAsync("none-yet", Token);
        Assert.False(await leader.WatchOnceAsync(Token));

        await followerIntents.SaveAsync(Intent("feature-c"), 0, Token);
        await follower.NudgeAsync("feature-c", Token);
        proxy.Inject(FaultKind.ServerError, 1);
        Assert.False(await leader.WatchOnceAsync(Token));
        proxy.ClearFaults();

        Assert.True(await leader.WatchOnceAsync(Token));
        Assert.NotNull(await leaderIntents.GetAsync("feature-c", Token));
    }

    /// <summary>A leader reading S3 through a fault proxy that records its calls, and a follower writing to moto directly.</summary>
    private sealed class ReplicaPair : IAsyncDisposable
    {
        private AwsClients? _followerAws;

        public required FaultProxy Proxy { get; init; }
        public required AwsClients LeaderAws { get; init; }
        public required S3IntentStore LeaderIntents { get; init; }
        public required S3IntentStore FollowerIntents { get; init; }
        public required S3IntentNudge Leader { get; init; }
        public required S3IntentNudge Follower { get; init; }

        public static async Task<ReplicaPair> StartAsync(Uri moto)
        {
            var proxy = await FaultProxy.StartAsync(moto);
            var leaderAws = new AwsClients(proxy.Endpoint, o => o.MaxRetryAttempts = 0);
            var followerAws = new AwsClients(moto);
            var leaderIntents = Store(leaderAws);
            var followerIntents = Store(followerAws);
            return new ReplicaPair
            {
                _followerAws = followerAws,
                Proxy = proxy,
                LeaderAws = leaderAws,
                LeaderIntents = leaderIntents,
                FollowerIntents = followerIntents,
                Leader = Nudge(leaderAws.S3, leaderIntents, new StubLeadership("replica-1", leading: true, term: 2)),
                Follower = Nudge(followerAws.S3, followerIntents, new StubLeadership("replica-2", leading: false, term: 0)),
            };
        }

        public async ValueTask DisposeAsync()
        {
            LeaderIntents.Dispose();
            FollowerIntents.Dispose();
            await LeaderAws.DisposeAsync();
            await _followerAws!.DisposeAsync();
            await Proxy.DisposeAsync();
        }
    }

    private static S3IntentStore Store(AwsClients aws) => new(aws.S3, Location, TimeProvider.System, NullLogger<S3IntentStore>.Instance);

    private static S3IntentNudge Nudge(S3ObjectStore store, S3IntentStore intents, ILeadership leadership) =>
        new(store, intents, leadership, TimeSpan.FromSeconds(1), TimeProvider.System, NullLogger<S3IntentNudge>.Instance);

    private static EnvironmentIntent Intent(string subdomain) => new()
    {
        Subdomain = subdomain,
        TaskDefinitions = ["web"],
        Parameters = new Dictionary<string, string> { ["branch"] = subdomain },
        CreatedAt = Now,
        UpdatedAt = Now,
    };
}
