using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Mirage.Aws.Intents;
using Mirage.Aws.S3;
using Mirage.Aws.Tests.Moto;
using Mirage.Model.Intents;
using Mirage.Model.Leadership;

namespace Mirage.Aws.Tests.S3;

/// <summary>
/// The S3 intent store, with two replicas on one prefix. moto 5.1.1 honours If-None-Match:* but ignores If-Match, so
/// these run through the fault proxy, which refuses a PUT whose If-Match is not the object's current ETag as S3 does.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class S3IntentStoreTests(MotoFixture moto) : IAsyncLifetime
{
    private const string Bucket = "mirage-state";
    private static readonly S3Location Location = S3Location.Parse($"s3://{Bucket}/prod/intents/");
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await moto.ResetAsync(Token);
        await using var aws = new AwsClients(moto.Endpoint);
        await aws.Services.GetRequiredService<IAmazonS3>().PutBucketAsync(Bucket, Token);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static EnvironmentIntent Intent(string subdomain, string branch) => new()
    {
        Subdomain = subdomain,
        TaskDefinitions = ["web"],
        Parameters = new Dictionary<string, string> { ["branch"] = branch },
        CreatedAt = Now,
        UpdatedAt = Now,
    };

    private static S3IntentStore Store(AwsClients aws) => new(aws.S3, Location, TimeProvider.System, NullLogger<S3IntentStore>.Instance);

    [Fact]
    public async Task A_new_leader_catching_up_sees_an_intent_another_replica_wrote_since_its_cache_was_loaded()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        using var leader = Store(aws);
        using var follower = Store(aws);
        Assert.Empty(await follower.ListAsync(Token));
        await leader.SaveAsync(Intent("feature-new", "main"), 0, Token);
        var changed = new List<string>();
        follower.Changed += changed.Add;

        // Before: the follower's cache does not know it (its periodic refresh has not run).
        Assert.Null(await follower.GetAsync("feature-new", Token));
        await ((IIntentStore)follower).CatchUpAsync(Token);

        Assert.Equal("main", (await follower.GetAsync("feature-new", Token))!.Parameters["branch"]);
        Assert.Equal(["feature-new"], changed);
    }

    [Fact]
    public async Task Saves_bump_the_revision_and_a_stale_revision_is_a_conflict()
    {
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint, enforceS3IfMatch: true);
        await using var aws = new AwsClients(proxy.Endpoint);
        using var store = Store(aws);
        var changed = new List<string>();
        store.Changed += changed.Add;

        var first = await store.SaveAsync(Intent("feature-*", "a"), 0, Token);
        var second = await store.SaveAsync(first with { Parameters = new Dictionary<string, string> { ["branch"] = "b" } }, 1, Token);
        var conflict = await Assert.ThrowsAsync<IntentConflictException>(() => store.SaveAsync(Intent("feature-*", "c"), 1, Token));
        var create = await Assert.ThrowsAsync<IntentConflictException>(() => store.SaveAsync(Intent("feature-*", "d"), 0, Token));

        Assert.Equal(1, first.Revision);
        Assert.Equal(2, second.Revision);
        Assert.NotNull(conflict);
        Assert.NotNull(create);
        Assert.Equal(["feature-*", "feature-*"], changed);
        using var reader = Store(aws);
        Assert.Equal("b", (await reader.GetAsync("feature-*", Token))!.Branch);
        Assert.Equal(2, (await reader.GetAsync("feature-*", Token))!.Revision);
        var puts = proxy.Requests.Where(r => r.Method == "PUT").ToList();
        Assert.Equal("*", puts[0].Headers["If-None-Match"]);
        Assert.True(puts[1].Headers.ContainsKey("If-Match"));
    }

    [Fact]
    public async Task Two_replicas_cannot_lose_each_others_update()
    {
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint, enforceS3IfMatch: true);
        await using var aws = new AwsClients(proxy.Endpoint);
        using var a = Store(aws);
        using var b = Store(aws);
        var created = await a.SaveAsync(Intent("shared", "main"), 0, Token);
        Assert.Equal(1, (await b.GetAsync("shared", Token))!.Revision);

        // Both replicas read revision 1; A writes first. B's write of revision 1 → 2 must be refused, not overwrite A's.
        await a.SaveAsync(created with { Parameters = new Dictionary<string, string> { ["branch"] = "from-a" } }, 1, Token);
        var refused = await Assert.ThrowsAsync<IntentConflictException>(() =>
            b.SaveAsync(created with { Parameters = new Dictionary<string, string> { ["branch"] = "from-b" } }, 1, Token));

        Assert.NotNull(refused);
        Assert.Equal("from-a", (await b.GetAsync("shared", Token))!.Branch);
        Assert.Equal(2, (await b.GetAsync("shared", Token))!.Revision);
    }

    [Fact]
    public async Task The_If_Match_condition_itself_refuses_a_write_that_raced_past_the_revision_check()
    {
        // The race the revision check cannot see: another writer lands between this replica's read and its write.
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint, enforceS3IfMatch: true);
        await using var aws = new AwsClients(proxy.Endpoint);
        using var store = Store(aws);
        var created = await store.SaveAsync(Intent("race", "main"), 0, Token);
        var key = proxy.Requests.First(r => r.Method == "PUT").PathAndQuery;
        var stale = (await aws.S3.GetTextAsync(Bucket, key[(Bucket.Length + 2)..], Token))!;
        await aws.S3.PutTextAsync(Bucket, key[(Bucket.Length + 2)..], stale.Text.Replace("\"main\"", "\"other\"", StringComparison.Ordinal), S3WriteCondition.None, Token);

        var error = await Assert.ThrowsAsync<S3PreconditionFailedException>(() =>
            aws.S3.PutTextAsync(Bucket, key[(Bucket.Length + 2)..], stale.Text, S3WriteCondition.MustMatch(stale.ETag), Token));

        Assert.NotNull(error);
        Assert.Contains("\"other\"", (await aws.S3.GetTextAsync(Bucket, key[(Bucket.Length + 2)..], Token))!.Text, StringComparison.Ordinal);
        Assert.Equal(1, created.Revision);
    }

    [Fact]
    public async Task A_deposed_leaders_status_write_is_refused_once_a_newer_term_wrote_the_status()
    {
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint, enforceS3IfMatch: true);
        await using var aws = new AwsClients(proxy.Endpoint);
        using var oldLeader = Store(aws);
        using var newLeader = Store(aws);
        await oldLeader.SaveStatusAsync(new EnvironmentStatus { Subdomain = "x", ObservedRevision = 1, Term = 1 }, Token);
        // The new leader loads the store after that write and writes over it under its newer term.
        await newLeader.ListAsync(Token);
        await newLeader.SaveStatusAsync(new EnvironmentStatus { Subdomain = "x", ObservedRevision = 2, Term = 2 }, Token);

        // The old leader still holds term 1's ETag: S3 refuses the If-Match, and the newer term it then reads refuses the write.
        var refused = await Assert.ThrowsAsync<LeadershipLostException>(() =>
            oldLeader.SaveStatusAsync(new EnvironmentStatus { Subdomain = "x", ObservedRevision = 1, Term = 1 }, Token));

        Assert.Equal(1, refused.Term);
        using var reader = Store(aws);
        Assert.Equal((2L, 2L), ((await reader.GetStatusAsync("x", Token))!.Term, (await reader.GetStatusAsync("x", Token))!.ObservedRevision));
        Assert.Contains(proxy.Requests, r => r.Method == "PUT" && r.Status == 412);
    }

    [Fact]
    public async Task Refresh_raises_Changed_for_intents_another_replica_added_changed_or_deleted_and_statuses_round_trip()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        using var a = Store(aws);
        using var b = Store(aws);
        await b.ListAsync(Token);
        var changed = new List<string>();
        b.Changed += changed.Add;

        var x = await a.SaveAsync(Intent("x", "main"), 0, Token);
        await a.SaveAsync(Intent("y", "main"), 0, Token);
        await a.SaveStatusAsync(new EnvironmentStatus { Subdomain = "x", ObservedRevision = 1 }, Token);
        Assert.Equal(["x", "y"], (await b.RefreshAsync(Token)).Order());
        Assert.Equal(1, (await b.GetStatusAsync("x", Token))!.ObservedRevision);
        Assert.Empty(await b.RefreshAsync(Token));

        await a.DeleteAsync("x", x.Revision, Token);
        Assert.Equal(["x"], await b.RefreshAsync(Token));

        Assert.Equal(["x", "y", "x"], changed);
        Assert.Null(await b.GetAsync("x", Token));
        Assert.Null(await b.GetStatusAsync("x", Token));
        Assert.Equal(["y"], (await b.ListAsync(Token)).Select(i => i.Subdomain));
        await Assert.ThrowsAsync<IntentConflictException>(() => a.DeleteAsync("y", 5, Token));
    }
}
