using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Mirage.Aws.S3;
using Mirage.Aws.Tests.Moto;
using Mirage.Model.Configuration;

namespace Mirage.Aws.Tests.S3;

[Collection(MotoCollection.Name)]
public sealed class S3ConfigAndHtmlDirTests(MotoFixture moto) : IAsyncLifetime
{
    private const string Bucket = "mirage-config";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await moto.ResetAsync(Token);
        await using var aws = new AwsClients(moto.Endpoint);
        await aws.Services.GetRequiredService<IAmazonS3>().PutBucketAsync(Bucket, Token);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task The_config_file_is_read_from_S3_and_loaded()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        await aws.S3.PutTextAsync(Bucket, "prod/mirage.yml", "host:\n  webapi: mirage.dev.example.net\n  reverse_proxy_suffix: .dev.example.net\necs:\n  cluster: previews\n", S3WriteCondition.None, Token, "application/yaml");
        using var source = new S3ConfigSource(o => o.Environment = AwsClients.Environment(moto.Endpoint));

        var loaded = await new ConfigLoader(_ => null).LoadAsync($"s3://{Bucket}/prod/mirage.yml", [new FileConfigSource(), source], new ConfigLoaderOptions(), Token);

        Assert.True(source.CanRead("s3://b/k"));
        Assert.False(new FileConfigSource().CanRead("s3://b/k"));
        Assert.Equal("mirage.dev.example.net", loaded.Config.Host.WebApi);
        Assert.Equal("previews", loaded.Config.Ecs.Cluster);
    }

    [Fact]
    public async Task A_missing_config_object_is_a_clear_config_error()
    {
        using var source = new S3ConfigSource(o => o.Environment = AwsClients.Environment(moto.Endpoint));

        var error = await Assert.ThrowsAsync<ConfigException>(() => source.ReadAsync($"s3://{Bucket}/nope.yml", Token));
        var folder = await Assert.ThrowsAsync<ConfigException>(() => source.ReadAsync($"s3://{Bucket}/prod/", Token));

        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
        Assert.Contains($"s3://{Bucket}/nope.yml", error.Message, StringComparison.Ordinal);
        Assert.Contains("names a folder", folder.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_object_larger_than_the_limit_is_refused_without_being_read_whole()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        await aws.S3.PutTextAsync(Bucket, "huge.yml", "# " + new string('x', FileLimits.MaxBytes), S3WriteCondition.None, Token, "application/yaml");
        using var source = new S3ConfigSource(o => o.Environment = AwsClients.Environment(moto.Endpoint));

        var error = await Assert.ThrowsAsync<ConfigException>(() => source.ReadAsync($"s3://{Bucket}/huge.yml", Token));

        Assert.Equal($"s3://{Bucket}/huge.yml: {FileTooLargeException.TooLarge}", error.Message);
        // Direct readers of the store get the typed refusal, which no retry policy takes for a transient failure.
        await Assert.ThrowsAsync<FileTooLargeException>(() => aws.S3.GetTextAsync(Bucket, "huge.yml", Token));
    }

    [Fact]
    public async Task An_S3_htmldir_is_downloaded_by_basename_and_deleted_at_shutdown()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        await aws.S3.PutTextAsync(Bucket, "html/list.html", "<h1>{{ .Info }}</h1>", S3WriteCondition.None, Token, "text/html");
        await aws.S3.PutTextAsync(Bucket, "html/launcher.html", "<form></form>", S3WriteCondition.None, Token, "text/html");
        await aws.S3.PutTextAsync(Bucket, "other/ignored.html", "x", S3WriteCondition.None, Token, "text/html");
        var resolver = Resolver(aws, $"s3://{Bucket}/html/");

        var folder = await resolver.ResolveAsync(Token);

        Assert.Equal(folder, await resolver.ResolveAsync(Token));
        Assert.Equal(["launcher.html", "list.html"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Assert.Equal("<h1>{{ .Info }}</h1>", await File.ReadAllTextAsync(Path.Combine(folder, "list.html"), Token));
        resolver.Dispose();
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task An_empty_S3_htmldir_is_a_clear_error_and_a_local_one_is_used_as_is()
    {
        await using var aws = new AwsClients(moto.Endpoint);

        var error = await Assert.ThrowsAsync<ConfigException>(() => Resolver(aws, $"s3://{Bucket}/empty/").ResolveAsync(Token));
        var local = await Resolver(aws, "./html").ResolveAsync(Token);

        Assert.Contains($"no objects found in s3://{Bucket}/empty/", error.Message, StringComparison.Ordinal);
        Assert.Equal("./html", local);
    }

    private static S3HtmlDirResolver Resolver(AwsClients aws, string htmlDir) =>
        new(new MirageConfig { HtmlDir = htmlDir }, aws.S3, aws.Services.GetRequiredService<IAmazonS3>(), TimeProvider.System, NullLogger<S3HtmlDirResolver>.Instance);
}
