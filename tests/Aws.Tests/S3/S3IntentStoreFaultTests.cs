using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mirage.Aws.Errors;
using Mirage.Aws.Intents;
using Mirage.Aws.S3;
using Mirage.Aws.Tests.Moto;
using Mirage.Model.Intents;
using Mirage.TestKit;

namespace Mirage.Aws.Tests.S3;

/// <summary>
/// The S3 intent store under faults (issue 12, item 8), against moto through the fault proxy, which counts what reaches
/// S3: while S3 fails it waits (on its own clock) before listing again instead of listing on every call, and serves
/// the cache once it has one; deletes are conditional on the ETag read. moto 5.1.1 ignores If-Match on DELETE as on
/// PUT, so the proxy enforces it as S3 does.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class S3IntentStoreFaultTests(MotoFixture moto) : IAsyncLifetime
{
    private const string Bucket = "mirage-state";
    private static readonly S3Location Location = S3Location.Parse($"s3://{Bucket}/prod/intents/");
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly LoadBackoff ShortBackoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await moto.ResetAsync(Token);
        await using var aws = new AwsClients(moto.Endpoint);
        await aws.Services.GetRequiredService<IAmazonS3>().PutBucketAsync(Bucket, Token);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static EnvironmentIntent Intent(string subdomain) => new()
    {
        Subdomain = subdomain,
        TaskDefinitions = ["web"],
        Parameters = new Dictionary<string, string> { ["branch"] = "main" },
        CreatedAt = Now,
        UpdatedAt = Now,
    };

    private static S3IntentStore Store(AwsClients aws, TimeProvider clock) =>
        new(aws.S3, Location, clock, NullLogger<S3IntentStore>.Instance) { Backoff = ShortBackoff };

    [Fact]
    public async Task While_S3_is_down_at_start_calls_are_refused_without_listing_until_the_backoff_has_passed()
    {
        await using (var direct = new AwsClients(moto.Endpoint))
        {
            using var writer = Store(direct, TimeProvider.System);
            await writer.SaveAsync(Intent("kept"), 0, Token);
        }
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint, o => o.MaxRetryAttempts = 0);
        var clock = new FakeTimeProvider(Now);
        using var store = Store(aws, clock);
        proxy.Inject(FaultKind.ServerError, 1000);

        await Assert.ThrowsAsync<AwsServiceException>(() => store.GetAsync("kept", Token));
        var afterFirstFailure = proxy.Requests.Count;
        for (var i = 0; i < 20; i++)
        {
            await Assert.ThrowsAsync<IntentStoreUnavailableException>(() => store.GetAsync("kept", Token));
            await Assert.ThrowsAsync<IntentStoreUnavailableException>(() => store.ListAsync(Token));
        }
        var refusal = await Assert.ThrowsAsync<IntentStoreUnavailableException>(() => store.GetStatusAsync("kept", Token));

        Assert.Equal(1, afterFirstFailure);
        Assert.Equal(afterFirstFailure, proxy.Requests.Count);
        Assert.Contains("s3://mirage-state/prod/intents/", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("next attempt in", refusal.Message, StringComparison.Ordinal);

        // The first pause is at most the base delay; the second failure doubles it (1 to 2 s with jitter).
        clock.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<AwsServiceException>(() => store.ListAsync(Token));
        Assert.Equal(2, proxy.Requests.Count);
        clock.Advance(TimeSpan.FromMilliseconds(900));
        await Assert.ThrowsAsync<IntentStoreUnavailableException>(() => store.ListAsync(Token));
        Assert.Equal(2, proxy.Requests.Count);

        // S3 is back: the next attempt after the pause loads, and reads come from the cache again.
        proxy.ClearFaults();
        clock.Advance(TimeSpan.FromSeconds(2));
        var kept = await store.GetAsync("kept", Token);
        var loadedWith = proxy.Requests.Count;
        for (var i = 0; i < 20; i++)
        {
            Assert.NotNull(await store.GetAsync("kept", Token));
        }

        Assert.Equal("main", kept!.Branch);
        Assert.True(loadedWith > 2);
        Assert.Equal(loadedWith, proxy.Requests.Count);
    }

    [Fact]
    public async Task Concurrent_calls_during_an_outage_list_S3_once()
    {
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint, o => o.MaxRetryAttempts = 0);
        using var store = Store(aws, new FakeTimeProvider(Now));
        proxy.Inject(FaultKind.ServerError, 1000);

        var calls = Enumerable.Range(0, 50).Select(_ => store.ListAsync(Token)).ToList();
        var outcomes = await Task.WhenAll(calls.Select(async c => (await Record.ExceptionAsync(() => c))?.GetType()));

        Assert.Single(proxy.Requests);
        Assert.Equal(1, outcomes.Count(t => t == typeof(AwsServiceException)));
        Assert.Equal(49, outcomes.Count(t => t == typeof(IntentStoreUnavailableException)));
    }

    [Fact]
    public async Task Once_loaded_a_failing_S3_leaves_the_cached_intents_served_and_refreshes_wait_for_the_backoff()
    {
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint, o => o.MaxRetryAttempts = 0);
        var clock = new FakeTimeProvider(Now);
        using var store = Store(aws, clock);
        await store.SaveAsync(Intent("cached"), 0, Token);
        proxy.Inject(FaultKind.ServerError, 1000);
        proxy.ClearRecords();

        await Assert.ThrowsAsync<AwsServiceException>(() => store.RefreshAsync(Token));
        var skipped = await store.RefreshAsync(Token);
        var cached = await store.GetAsync("cached", Token);
        var listed = await store.ListAsync(Token);

        Assert.Empty(skipped);
        Assert.Equal(1, cached!.Revision);
        Assert.Equal(["cached"], listed.Select(i => i.Subdomain));
        Assert.Single(proxy.Requests);
        proxy.ClearFaults();
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(await store.RefreshAsync(Token));
        Assert.Equal(2, proxy.Requests.Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task A_delete_carries_If_Match_of_the_version_read_and_removes_intent_and_status()
    {
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint, enforceS3IfMatch: true);
        await using var aws = new AwsClients(proxy.Endpoint);
        using var store = Store(aws, TimeProvider.System);
        var saved = await store.SaveAsync(Intent("gone"), 0, Token);
        await store.SaveStatusAsync(new EnvironmentStatus { Subdomain = "gone", ObservedRevision = 1 }, Token);
        var intentKey = (await aws.S3.ListAsync(Bucket, Location.Prefix, Token)).Single(o => o.Key.EndsWith(".intent.json", StringComparison.Ordinal));

        await store.DeleteAsync("gone", saved.Revision, Token);

        var intentDelete = Assert.Single(proxy.Requests, r => r.Method == "DELETE" && r.PathAndQuery.Contains(".intent.json", StringComparison.Ordinal));
        Assert.Equal(204, intentDelete.Status);
        Assert.Equal(intentKey.ETag, intentDelete.Headers["If-Match"]);
        using var fresh = Store(aws, TimeProvider.System);
        Assert.Null(await fresh.GetAsync("gone", Token));
        Assert.Null(await fresh.GetStatusAsync("gone", Token));
        Assert.Empty(await aws.S3.ListAsync(Bucket, Location.Prefix, Token));
    }

    [Fact]
    public async Task A_delete_whose_version_was_rewritten_meanwhile_is_refused_and_the_rewrite_stays()
    {
        // The race a revision check cannot see: another replica rewrites between this replica's read and its delete.
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint, enforceS3IfMatch: true);
        await using var aws = new AwsClients(proxy.Endpoint);
        using var store = Store(aws, TimeProvider.System);
        await store.SaveAsync(Intent("raced"), 0, Token);
        var key = (await aws.S3.ListAsync(Bucket, Location.Prefix, Token)).Single().Key;
        var read = (await aws.S3.GetTextAsync(Bucket, key, Token))!;
        await aws.S3.PutTextAsync(Bucket, key, read.Text.Replace("\"main\"", "\"rewritten\"", StringComparison.Ordinal), S3WriteCondition.None, Token);

        var refused = await Assert.ThrowsAsync<S3PreconditionFailedException>(() => aws.S3.DeleteAsync(Bucket, key, read.ETag, Token));

        Assert.NotNull(refused);
        Assert.Contains("\"rewritten\"", (await aws.S3.GetTextAsync(Bucket, key, Token))!.Text, StringComparison.Ordinal);
    }
}
