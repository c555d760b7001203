using Amazon.S3.Model;
using Mirage.EndToEnd.Tests.Cluster;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.WebUi;

/// <summary>mirage-ecs's templates from an <c>s3://</c> htmldir (moto): downloaded at start, then served as from a folder.</summary>
public sealed class MirageEcsS3HtmlDirTests
{
    [Fact]
    public async Task An_S3_htmldir_of_mirage_ecs_templates_is_served_once_downloaded()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var moto = await MotoServer.StartAsync(cancellationToken);
        using var api = new MotoApi(moto.Endpoint);
        var (subnet, group) = await api.SetUpAsync(cancellationToken);
        using (var s3 = api.S3())
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "WebUi", "MirageEcsHtml"), "*.html"))
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = MotoApi.Bucket, Key = "html/" + Path.GetFileName(file), FilePath = file }, cancellationToken);
            }
        }
        await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions
        {
            ConfigText = AwsModeMirage.Config(MotoApi.EcsCluster, subnet, group, "htmldir: s3://mirage-state/html/\n"),
            Arguments = [],
            Environment = AwsModeMirage.Environment(moto.Endpoint),
        }, cancellationToken);
        using var client = mirage.CreateClient();

        var layout = await client.GetStringAsync("/", cancellationToken);
        Assert.Contains("<title>Mirage-ECS Dashboard</title>", layout, StringComparison.Ordinal);
        Assert.Matches(@"<p>mirage-ecs \d+\.\d+\.\d+[^<]*</p>", layout);
        Assert.Contains("<form id=\"launcher-form\" method=\"POST\" action=\"/launch\">", await client.GetStringAsync("/launcher", cancellationToken), StringComparison.Ordinal);
        Assert.Contains("<form id=\"termination\" method=\"POST\" action=\"/terminate\">", await client.GetStringAsync("/list", cancellationToken), StringComparison.Ordinal);
    }
}
