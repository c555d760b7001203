using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Mirage.Aws.S3;
using Mirage.Aws.Tests.Moto;
using Mirage.Model.Configuration;
using Mirage.Model.Intents;
using Mirage.Reconciler.GitOps;

namespace Mirage.Aws.Tests.Backend;

/// <summary>
/// A desired-environments file kept in S3 (moto), applied by the real GitOps service and reconciler in AWS mode:
/// add, change, remove, and versions that must change nothing. Routes are only inspected, never contacted.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class GitOpsFromS3Tests(MotoFixture moto) : IAsyncLifetime
{
    private const string Bucket = "mirage-gitops";
    private const string Key = "previews/desired-environments.yaml";
    private static readonly string Url = $"s3://{Bucket}/{Key}";

    private readonly AwsScenario _scenario = new(moto);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _scenario.InitializeAsync(Token);
        await using var aws = new AwsClients(moto.Endpoint);
        await aws.Services.GetRequiredService<IAmazonS3>().PutBucketAsync(Bucket, Token);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task The_S3_source_reads_again_only_when_the_ETag_changed()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        await PutAsync(aws, "environments: []\nallow_empty: true\n");
        using var source = new S3ConfigSource(o => o.Environment = AwsClients.Environment(moto.Endpoint));

        var first = await source.ReadAsync(Url, Token);
        var unchanged = await ((IConfigSource)source).ReadIfChangedAsync(Url, first.Version, Token);
        await PutAsync(aws, "environments: []\nallow_empty: true # edited\n");
        var changed = await ((IConfigSource)source).ReadIfChangedAsync(Url, first.Version, Token);

        Assert.False(string.IsNullOrEmpty(first.Version));
        Assert.Null(unchanged);
        Assert.NotNull(changed);
        Assert.EndsWith("# edited\n", changed.Text, StringComparison.Ordinal);
        Assert.NotEqual(first.Version, changed.Version);
        Assert.Equal(Url, changed.DisplayName);
    }

    [Fact]
    public async Task Entries_added_changed_and_removed_in_the_S3_file_launch_relaunch_and_terminate_and_bad_versions_change_nothing()
    {
        await using var aws = new AwsClients(moto.Endpoint);
        await PutAsync(aws, File(("alpha", "main"), ("beta", "feature/b")));
        var config = AwsModeHost.ConfigFor(_scenario.Network) with
        {
            GitOps = new GitOpsConfig { File = Url, CheckInterval = TimeSpan.FromMilliseconds(200) },
        };
        // Between Mirage and moto, to see how the file is read.
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint);
        await using var mirage = new AwsModeHost(proxy.Endpoint, config);
        await mirage.LaunchAsync("gamma", "api-owned", "web");
        await mirage.StartAsync(Token);
        var gitOps = mirage.Services.GetRequiredService<GitOpsState>();

        // Added: both entries become gitops intents owned by the URL, and get routes.
        var alphaBefore = await RouteAsync(mirage, "alpha");
        await RouteAsync(mirage, "beta");
        await RouteAsync(mirage, "gamma");
        var alpha = await mirage.Store.GetAsync("alpha", Token);
        Assert.NotNull(alpha);
        Assert.Equal(IntentSource.GitOps, alpha.Source);
        Assert.Equal(Url, alpha.Owner);
        Assert.Equal(["alpha", "beta"], gitOps.Current.Environments);
        Assert.Null(gitOps.Current.Error);

        // Unchanged, the object is asked for by ETag and not sent again: 304s after the first read.
        var reads = await AwsModeHost.EventuallyAsync(() => Task.FromResult(FileReads(proxy) is { Count: >= 4 } r ? r : null), "four checks of the file");
        Assert.False(reads[0].Headers.ContainsKey("If-None-Match"));
        Assert.Equal(200, reads[0].Status);
        Assert.All(reads.Skip(1), r => Assert.Equal((304, true), (r.Status, r.Headers.ContainsKey("If-None-Match"))));

        // Changed and removed: alpha's branch moves (a relaunch with a new task), beta goes, delta comes.
        await PutAsync(aws, File(("alpha", "release"), ("delta", "feature/d")));
        await AwsModeHost.EventuallyAsync(async () =>
            await mirage.Store.GetAsync("alpha", Token) is { } a && a.Parameters["branch"] == "release" ? a : null, "alpha's new branch");
        await AwsModeHost.EventuallyAsync(() => Task.FromResult(
            mirage.Routes.Current.FindByKey("alpha") is { } r && r.TaskId != alphaBefore.TaskId ? r : null), "alpha's relaunched task");
        await RouteAsync(mirage, "delta");
        await AwsModeHost.EventuallyAsync(() => Task.FromResult(mirage.Routes.Current.FindByKey("beta") is null ? "" : null), "beta's route to go");
        await AwsModeHost.EventuallyAsync(async () =>
            await mirage.Store.GetAsync("beta", Token) is null or { Desired: DesiredState.Terminated } ? "" : null, "beta's intent to be terminated");
        var applied = gitOps.Current.AppliedHash;

        // A version that does not parse, then one that suddenly lists nothing: both refused, nothing changes.
        await PutAsync(aws, "environments:\n  - subdomain: [not, a, name]\n");
        var parseError = await AwsModeHost.EventuallyAsync(() => Task.FromResult(gitOps.Current.Error), "the parse error");
        await PutAsync(aws, "environments: []\n");
        var emptyError = await AwsModeHost.EventuallyAsync(() => Task.FromResult(
            gitOps.Current.Error is { } e && e != parseError ? e : null), "the empty-file error");
        // Two more checks of the refused file, so a late change would show.
        var checkedAt = gitOps.Current.LastCheckedAt;
        await AwsModeHost.EventuallyAsync(() => Task.FromResult(gitOps.Current.LastCheckedAt > checkedAt + TimeSpan.FromMilliseconds(200) ? "" : null), "two more checks of the file");

        Assert.StartsWith(Url, parseError, StringComparison.Ordinal);
        Assert.Contains("allow_empty", emptyError, StringComparison.Ordinal);
        Assert.Equal(applied, gitOps.Current.AppliedHash);
        foreach (var subdomain in new[] { "alpha", "delta", "gamma" })
        {
            var intent = await mirage.Store.GetAsync(subdomain, Token);
            Assert.Equal(DesiredState.Running, intent?.Desired);
            Assert.NotNull(mirage.Routes.Current.FindByKey(subdomain));
        }
        var gamma = await mirage.Store.GetAsync("gamma", Token);
        Assert.Equal(IntentSource.Api, gamma?.Source);
        Assert.Equal("api-owned", gamma?.Parameters["branch"]);
    }

    private static List<RecordedRequest> FileReads(FaultProxy proxy) =>
        [.. proxy.Requests.Where(r => r.Method == "GET" && r.PathAndQuery.Contains(Key, StringComparison.Ordinal))];

    private static string File(params (string Subdomain, string Branch)[] environments) =>
        "environments:\n" + string.Concat(environments.Select(e => $"  - subdomain: {e.Subdomain}\n    branch: {e.Branch}\n    taskdef: web\n"));

    private static Task PutAsync(AwsClients aws, string text) =>
        aws.S3.PutTextAsync(Bucket, Key, text, S3WriteCondition.None, Token, "application/yaml");

    private static Task<Model.Routing.Route> RouteAsync(AwsModeHost mirage, string subdomain) =>
        AwsModeHost.EventuallyAsync(() => Task.FromResult(mirage.Routes.Current.FindByKey(subdomain)), $"the route of {subdomain}");
}
