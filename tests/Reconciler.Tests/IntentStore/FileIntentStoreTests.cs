using Microsoft.Extensions.Logging.Abstractions;
using Mirage.Model.Intents;
using Mirage.Reconciler.IntentStore;

namespace Mirage.Reconciler.Tests.IntentStore;

public sealed class FileIntentStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mirage-store-").FullName;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private FileIntentStore Open() => new(_folder, NullLogger<FileIntentStore>.Instance);

    private static EnvironmentIntent Intent(string subdomain, string branch = "main") => new()
    {
        Subdomain = subdomain,
        TaskDefinitions = ["demo", "worker:3"],
        Parameters = new Dictionary<string, string> { ["branch"] = branch },
        Policy = new LifecyclePolicy(Keep: true, Ttl: TimeSpan.FromHours(2)),
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    [Fact]
    public async Task Saved_intents_survive_a_restart_with_every_field()
    {
        using (var store = Open())
        {
            await store.SaveAsync(Intent("feature-x"), 0, Token);
            await store.SaveAsync(Intent("foo-*"), 0, Token);
            await store.SaveStatusAsync(new EnvironmentStatus { Subdomain = "foo-*", ObservedRevision = 1, Tasks = ["arn:1"] }, Token);
        }
        using var reopened = Open();
        var intents = await reopened.ListAsync(Token);
        Assert.Equal(["feature-x", "foo-*"], intents.Select(i => i.Subdomain));
        Assert.Equal(1, intents[0].Revision);
        Assert.Equal(IntentSource.Api, intents[0].Source);
        Assert.Equal(DesiredState.Running, intents[0].Desired);
        Assert.Equal(Intent("feature-x").CreatedAt, intents[0].CreatedAt);
        Assert.True(intents[0].Policy.Keep);
        Assert.Equal(["demo", "worker:3"], intents[0].TaskDefinitions);
        Assert.Equal("main", intents[0].Branch);
        Assert.Equal(TimeSpan.FromHours(2), intents[0].Policy.Ttl);
        var status = await reopened.GetStatusAsync("foo-*", Token);
        Assert.Equal(["arn:1"], status!.Tasks);
    }

    [Fact]
    public async Task Each_change_adds_one_revision_and_a_stale_write_is_a_conflict()
    {
        using var store = Open();
        var first = await store.SaveAsync(Intent("app"), 0, Token);
        Assert.Equal(1, first.Revision);
        var second = await store.SaveAsync(first with { Parameters = new Dictionary<string, string> { ["branch"] = "b2" } }, 1, Token);
        Assert.Equal(2, second.Revision);

        var conflict = await Assert.ThrowsAsync<IntentConflictException>(() => store.SaveAsync(first, 1, Token));
        Assert.Equal(2, conflict.ActualRevision);
        await Assert.ThrowsAsync<IntentConflictException>(() => store.SaveAsync(Intent("app"), 0, Token));
        Assert.Equal("b2", (await store.GetAsync("app", Token))!.Branch);
    }

    [Fact]
    public async Task A_write_that_crashed_before_its_rename_leaves_the_previous_version()
    {
        using (var store = Open())
        {
            await store.SaveAsync(Intent("app", "before"), 0, Token);
        }
        // What a crash between "write temp" and "rename" leaves behind: a torn temporary file.
        var intentFile = Directory.GetFiles(_folder, "*.intent.json").Single();
        await File.WriteAllTextAsync(intentFile + ".tmp", "{\"subdomain\":\"app\",\"taskDefin", Token);

        using var reopened = Open();
        Assert.Equal("before", (await reopened.GetAsync("app", Token))!.Branch);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public async Task Delete_removes_intent_and_status_and_tells_listeners()
    {
        var changed = new List<string>();
        using (var store = Open())
        {
            store.Changed += changed.Add;
            var saved = await store.SaveAsync(Intent("app"), 0, Token);
            await store.SaveStatusAsync(new EnvironmentStatus { Subdomain = "app" }, Token);
            await store.DeleteAsync("app", saved.Revision, Token);
            Assert.Null(await store.GetAsync("app", Token));
            Assert.Null(await store.GetStatusAsync("app", Token));
        }
        Assert.Equal(["app", "app"], changed);
        using var reopened = Open();
        Assert.Empty(await reopened.ListAsync(Token));
    }

    [Fact]
    public void A_second_process_cannot_open_the_same_folder()
    {
        using var store = Open();
        var error = Assert.Throws<InvalidOperationException>(Open);
        Assert.Contains("in use by another Mirage process", error.Message, StringComparison.Ordinal);
    }
}
