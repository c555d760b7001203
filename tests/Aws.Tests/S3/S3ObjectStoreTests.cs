using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Mirage.Aws.S3;
using Mirage.Aws.Tests.Moto;

namespace Mirage.Aws.Tests.S3;

[Collection(MotoCollection.Name)]
public sealed class S3ObjectStoreTests(MotoFixture moto) : IAsyncLifetime
{
    private const string Bucket = "mirage-state";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await moto.ResetAsync(Token);
        await using var aws = new AwsClients(moto.Endpoint);
        await aws.Services.GetRequiredService<IAmazonS3>().PutBucketAsync(Bucket, Token);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Put_then_get_round_trips_the_text_exactly_with_its_ETag()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        const string text = "subdomain: feature-x\nreplicas: 2\nünïcödé ✓\n";

        var etag = await aws.S3.PutTextAsync(Bucket, "intents/feature-x.yaml", text, S3WriteCondition.None, Token, "application/yaml");
        var read = await aws.S3.GetTextAsync(Bucket, "intents/feature-x.yaml", Token);

        Assert.NotNull(read);
        Assert.Equal(text, read.Text);
        Assert.Equal(etag, read.ETag);
    }

    [Fact]
    public async Task A_missing_key_reads_as_null()
    {
        await using var aws = new AwsClients(moto.Endpoint);

        Assert.Null(await aws.S3.GetTextAsync(Bucket, "intents/none.json", Token));
    }

    [Fact]
    public async Task Create_only_writes_refuse_an_existing_key()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        await aws.S3.PutTextAsync(Bucket, "intents/a.json", "{\"v\":1}", S3WriteCondition.MustNotExist, Token);

        var error = await Assert.ThrowsAsync<S3PreconditionFailedException>(() =>
            aws.S3.PutTextAsync(Bucket, "intents/a.json", "{\"v\":2}", S3WriteCondition.MustNotExist, Token));

        Assert.Equal("intents/a.json", error.Key);
        Assert.Equal("{\"v\":1}", (await aws.S3.GetTextAsync(Bucket, "intents/a.json", Token))!.Text);
    }

    [Fact]
    public async Task An_If_Match_write_sends_the_ETag_and_a_412_becomes_a_precondition_failure()
    {
        // moto 5.1.1 ignores If-Match on PutObject, so the refusal comes from the proxy; the header is checked on the wire.
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint);
        var first = await aws.S3.PutTextAsync(Bucket, "intents/b.json", "{\"v\":1}", S3WriteCondition.None, Token);
        var second = await aws.S3.PutTextAsync(Bucket, "intents/b.json", "{\"v\":2}", S3WriteCondition.MustMatch(first), Token);
        proxy.Inject(FaultKind.PreconditionFailed, 1, "PUT /mirage-state/intents/b.json");

        await Assert.ThrowsAsync<S3PreconditionFailedException>(() =>
            aws.S3.PutTextAsync(Bucket, "intents/b.json", "{\"v\":3}", S3WriteCondition.MustMatch(first), Token));

        var puts = proxy.Requests.Where(r => r.Operation == "PUT /mirage-state/intents/b.json").ToList();
        Assert.Equal(3, puts.Count);
        Assert.False(puts[0].Headers.ContainsKey("If-Match"));
        Assert.Equal(first, puts[1].Headers["If-Match"]);
        Assert.Equal(first, puts[2].Headers["If-Match"]);
        Assert.NotEqual(first, second);
        Assert.Equal("{\"v\":2}", (await aws.S3.GetTextAsync(Bucket, "intents/b.json", Token))!.Text);
    }

    [Fact]
    public async Task Listing_by_prefix_returns_only_that_prefix()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        foreach (var key in new[] { "intents/x.json", "intents/y.json", "html/list.html" })
        {
            await aws.S3.PutTextAsync(Bucket, key, key, S3WriteCondition.None, Token);
        }

        var listed = await aws.S3.ListAsync(Bucket, "intents/", Token);

        Assert.Equal(["intents/x.json", "intents/y.json"], listed.Select(o => o.Key).Order());
        Assert.All(listed, o => Assert.Equal(o.Key.Length, o.Size));
    }
}
