using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mirage.Aws.Configuration;
using Mirage.Aws.Credentials;
using Mirage.Aws.Endpoints;
using Mirage.Aws.Leadership;
using Mirage.Aws.Tests.Moto;
using Mirage.Model.Leadership;

namespace Mirage.Aws.Tests.Leadership;

/// <summary>The lease item against moto, which enforces DynamoDB's ConditionExpression as DynamoDB does.</summary>
[Collection(MotoCollection.Name)]
public sealed class DynamoDbLeaseStoreTests(MotoFixture moto) : IAsyncLifetime
{
    private const string Table = "mirage-lease";
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private AwsClients _aws = null!;
    private IAmazonDynamoDB _dynamoDb = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await moto.ResetAsync(Token);
        _aws = new AwsClients(moto.Endpoint);
        _dynamoDb = DynamoDbClientFactory.Create(
            _aws.Services.GetRequiredService<AwsEndpointResolver>(),
            _aws.Services.GetRequiredService<IAwsCredentialsSource>(),
            _aws.Services.GetRequiredService<IOptions<AwsOptions>>().Value.AttemptTimeout);
        await _dynamoDb.CreateTableAsync(DynamoDbLeaseStore.TableDefinition(Table), Token);
    }

    public async ValueTask DisposeAsync()
    {
        _dynamoDb.Dispose();
        await _aws.DisposeAsync();
    }

    [Fact]
    public async Task Of_two_replicas_that_saw_the_lease_free_only_the_first_takes_it()
    {
        var store = new DynamoDbLeaseStore(_dynamoDb, Table, "mirage");
        var seen = await store.HeartbeatAsync(Beat("a"), Token);
        Assert.False(seen.IsHeld);

        var first = await store.TryAcquireAsync(seen, Beat("a"), Token);
        var second = await store.TryAcquireAsync(seen, Beat("b"), Token);

        Assert.NotNull(first);
        Assert.Equal(("a", 1L, 1L), (first.Holder, first.Term, first.Version));
        Assert.Null(second);
    }

    [Fact]
    public async Task Only_the_holder_of_the_current_term_renews_or_releases()
    {
        var store = new DynamoDbLeaseStore(_dynamoDb, Table, "mirage");
        var taken = (await store.TryAcquireAsync(await store.HeartbeatAsync(Beat("a"), Token), Beat("a"), Token))!;

        Assert.Null(await store.TryRenewAsync(Beat("b"), taken.Term, Token));
        Assert.Null(await store.TryRenewAsync(Beat("a"), taken.Term + 1, Token));
        Assert.False(await store.ReleaseAsync("b", taken.Term, Token));
        var renewed = await store.TryRenewAsync(Beat("a"), taken.Term, Token);
        Assert.Equal((taken.Term, taken.Version + 1), (renewed!.Term, renewed.Version));

        Assert.True(await store.ReleaseAsync("a", taken.Term, Token));
        var released = await store.HeartbeatAsync(Beat("b"), Token);
        Assert.False(released.IsHeld);
        var next = await store.TryAcquireAsync(released, Beat("b"), Token);
        Assert.Equal(("b", 2L), (next!.Holder, next.Term));
    }

    [Fact]
    public async Task A_takeover_from_a_stale_reading_is_refused_once_the_lease_was_renewed()
    {
        var store = new DynamoDbLeaseStore(_dynamoDb, Table, "mirage");
        var taken = (await store.TryAcquireAsync(await store.HeartbeatAsync(Beat("a"), Token), Beat("a"), Token))!;
        var seenByFollower = await store.HeartbeatAsync(Beat("b"), Token);

        await store.TryRenewAsync(Beat("a"), taken.Term, Token);

        Assert.Null(await store.TryAcquireAsync(seenByFollower, Beat("b"), Token));
        Assert.Equal("a", (await store.HeartbeatAsync(Beat("b"), Token)).Holder);
    }

    [Fact]
    public async Task Heartbeats_list_every_replica_and_forgotten_ones_disappear()
    {
        var store = new DynamoDbLeaseStore(_dynamoDb, Table, "mirage");
        await store.HeartbeatAsync(Beat("a"), Token);
        await store.HeartbeatAsync(Beat("b"), Token);
        var all = await store.HeartbeatAsync(Beat("c"), Token);
        Assert.Equal(["a", "b", "c"], all.Replicas.Select(r => r.Id).Order());
        Assert.Equal("b:8080", all.Replicas.Single(r => r.Id == "b").Address);
        Assert.Equal(Now, all.Replicas.Single(r => r.Id == "b").SeenAt);

        await store.ForgetReplicasAsync(["a", "b"], Token);

        Assert.Equal(["c"], (await store.HeartbeatAsync(Beat("c"), Token)).Replicas.Select(r => r.Id));
    }

    private static ReplicaHeartbeat Beat(string id) => new(id, id + ":8080", Now);
}
