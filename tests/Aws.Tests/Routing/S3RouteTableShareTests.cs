using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Mirage.Aws.Routing;
using Mirage.Aws.S3;
using Mirage.Aws.Tests.Leadership;
using Mirage.Aws.Tests.Moto;
using Mirage.Model.Leadership;
using Mirage.Model.Routing;

namespace Mirage.Aws.Tests.Routing;

/// <summary>The route table the leader shares through the intent bucket, read by a follower through a fault proxy.</summary>
[Collection(MotoCollection.Name)]
public sealed class S3RouteTableShareTests(MotoFixture moto) : IAsyncLifetime
{
    private static readonly S3Location Intents = S3Location.Parse("s3://mirage-state/intents/");
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await moto.ResetAsync(Token);
        await using var aws = new AwsClients(moto.Endpoint);
        await aws.Services.GetRequiredService<IAmazonS3>().PutBucketAsync(Intents.Bucket, Token);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_follower_serves_the_leaders_table_asks_again_by_etag_and_keeps_it_while_S3_fails()
    {
        await using var leaderAws = new AwsClients(moto.Endpoint);
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint);
        await using var followerAws = new AwsClients(proxy.Endpoint, o => o.MaxRetryAttempts = 0);
        var leaderRoutes = new RouteTablePublisher();
        leaderRoutes.Publish([Route("feature-a"), Route("feature-b")]);
        var leader = Share(leaderAws.S3, leaderRoutes, new StubLeadership("replica-1", leading: true, term: 3));
        var followerRoutes = new RouteTablePublisher();
        var follower = Share(followerAws.S3, followerRoutes, new StubLeadership("replica-2", leading: false, term: 0));

        Assert.True(await leader.ShareAsync(Token));
        Assert.True(await follower.FollowOnceAsync(Token));
        Assert.Equal(["feature-a", "feature-b"], followerRoutes.Current.Routes.Select(r => r.Subdomain).Order());
        Assert.Equal(RouteTableOrigin.Shared, followerRoutes.Origin);
        Assert.Equal([8080], followerRoutes.Current.Find("feature-a")!.Destinations.Keys);

        // Unchanged: S3 answers 304 and nothing is published again.
        var version = followerRoutes.Current.Version;
        Assert.False(await follower.FollowOnceAsync(Token));
        Assert.Contains(proxy.Requests, r => r.Method == "GET" && r.Status == 304);
        Assert.Equal(version, followerRoutes.Current.Version);

        // S3 failing: the last good table stays.
        proxy.Inject(FaultKind.ServerError, 5);
        Assert.False(await follower.FollowOnceAsync(Token));
        Assert.Equal(version, followerRoutes.Current.Version);
        Assert.Equal(2, followerRoutes.Current.Count);
        proxy.ClearFaults();

        // A change by the leader reaches the follower at its next round.
        leaderRoutes.Publish([Route("feature-a"), Route("feature-b"), Route("feature-c")]);
        Assert.True(await leader.ShareAsync(Token));
        Assert.True(await follower.FollowOnceAsync(Token));
        Assert.Equal(3, followerRoutes.Current.Count);
    }

    [Fact]
    public async Task A_follower_never_goes_back_to_an_older_terms_table()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        var newer = new RouteTablePublisher();
        newer.Publish([Route("kept")]);
        var stale = new RouteTablePublisher();
        stale.Publish([Route("stale-only")]);
        var followerRoutes = new RouteTablePublisher();
        var follower = Share(aws.S3, followerRoutes, new StubLeadership("replica-3", leading: false, term: 0));

        Assert.True(await Share(aws.S3, newer, new StubLeadership("replica-2", leading: true, term: 5)).ShareAsync(Token));
        Assert.True(await follower.FollowOnceAsync(Token));
        // A deposed leader's late write (its fence passed just before it lost the lease).
        Assert.True(await Share(aws.S3, stale, new StubLeadership("replica-1", leading: true, term: 4)).ShareAsync(Token));

        Assert.False(await follower.FollowOnceAsync(Token));
        Assert.Equal(["kept"], followerRoutes.Current.Routes.Select(r => r.Subdomain));
    }

    [Fact]
    public async Task A_replica_that_does_not_lead_cannot_share_its_table()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        var routes = new RouteTablePublisher();
        routes.Publish([Route("mine")]);
        var share = Share(aws.S3, routes, new StubLeadership("replica-2", leading: false, term: 7));

        Assert.True(await share.ShareAsync(Token));

        Assert.Null(await aws.S3.GetTextAsync(Intents.Bucket, share.Key, Token));
    }

    private static S3RouteTableShare Share(S3ObjectStore store, RouteTablePublisher routes, ILeadership leadership) =>
        new(store, Intents, routes, leadership, TimeSpan.FromSeconds(1), TimeProvider.System, NullLogger<S3RouteTableShare>.Instance);

    private static Route Route(string subdomain) =>
        new(subdomain, Now, "arn:aws:ecs:us-east-1:123456789012:task/previews/" + subdomain,
            new Dictionary<int, IReadOnlyList<RouteDestination>> { [8080] = [new RouteDestination("10.0.0.1", 8080)] });
}
