using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mirage.Model.Configuration;
using Mirage.Model.GitOps;
using Mirage.Model.Intents;
using Mirage.Model.Leadership;
using Mirage.Model.Parameters;
using Mirage.Reconciler.GitOps;
using Mirage.Reconciler.Tests.Reconciling;
using Mirage.TestKit;
using static Mirage.Reconciler.Tests.GitOps.GitOpsGenerators;

namespace Mirage.Reconciler.Tests.GitOps;

public sealed class GitOpsSynchronizerTests
{
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly InMemoryIntentStore _store = new();
    private readonly GitOpsState _state = new();
    private readonly GitOpsSynchronizer _sync;

    public GitOpsSynchronizerTests()
    {
        var parser = new DesiredEnvironmentsParser(LaunchParameterResolver.Create([ParameterConfig.DefaultBranch]));
        _sync = new GitOpsSynchronizer(_store, new InMemoryEcsBackend(_clock), parser, _state, new SingleReplicaLeadership("test", "test:0", _clock), _clock, NullLogger<GitOpsSynchronizer>.Instance);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private Task<bool> SyncAsync(string yaml) => _sync.SyncAsync(new ConfigText(yaml, Owner), Token);

    [Fact]
    public async Task Add_change_and_remove_entries()
    {
        Assert.True(await SyncAsync("environments:\n  - {subdomain: main, branch: main, taskdef: [web]}\n  - {subdomain: pr-1, branch: feature/1, taskdef: [web]}\n"));
        Assert.Equal(["main", "pr-1"], _store.Intents.Keys.Order());
        Assert.All(_store.Intents.Values, i => Assert.Equal((IntentSource.GitOps, Owner), (i.Source, i.Owner)));

        Assert.True(await SyncAsync("environments:\n  - {subdomain: main, branch: main, taskdef: [web:2]}\n"));
        Assert.Equal(["web:2"], _store.Intents["main"].TaskDefinitions);
        Assert.Equal(2, _store.Intents["main"].Revision);
        Assert.Equal(DesiredState.Terminated, _store.Intents["pr-1"].Desired);
        Assert.Equal(CauseReasons.RemovedFromFile, _store.Intents["pr-1"].Cause!.Reason);
        Assert.Equal(["main"], _state.Current.Environments);
        Assert.Null(_state.Current.Error);
    }

    [Fact]
    public async Task A_bad_or_empty_file_changes_nothing_and_is_reported_until_fixed()
    {
        await SyncAsync("environments:\n  - {subdomain: main, branch: main, taskdef: [web]}\n");
        var applied = _state.Current.AppliedHash;

        Assert.False(await SyncAsync("environments:\n  - {subdomain: main, branch: main, taskdef: [web]\n"));
        Assert.StartsWith($"{Owner}:2:5: invalid YAML: this {{ is never closed", _state.Current.Error, StringComparison.Ordinal);
        Assert.False(await SyncAsync("environments: []\n"));
        Assert.Contains("add allow_empty: true", _state.Current.Error, StringComparison.Ordinal);
        Assert.False(await SyncAsync("environments:\n  - {subdomain: main, branch: main, taskdef: [missing-family]}\n"));
        Assert.Contains("missing-family", _state.Current.Error, StringComparison.Ordinal);

        Assert.Equal(DesiredState.Running, _store.Intents["main"].Desired);
        Assert.Equal(1, _store.Intents["main"].Revision);
        Assert.Equal(applied, _state.Current.AppliedHash);
        Assert.Equal(Now, _state.Current.ErrorSince);

        Assert.True(await SyncAsync("allow_empty: true\nenvironments: []\n"));
        Assert.Null(_state.Current.Error);
        Assert.Equal(DesiredState.Terminated, _store.Intents["main"].Desired);
    }

    [Fact]
    public async Task An_api_environment_in_the_file_is_a_reported_conflict_and_left_alone()
    {
        var api = await _store.SaveAsync(new EnvironmentIntent { Subdomain = "main", TaskDefinitions = ["api"], Source = IntentSource.Api }, 0, Token);

        Assert.True(await SyncAsync("environments:\n  - {subdomain: main, branch: main, taskdef: [web]}\n"));

        Assert.Same(api, _store.Intents["main"]);
        var conflict = Assert.Single(_state.Current.Conflicts);
        Assert.Equal("main", conflict.Subdomain);
        Assert.Contains("launched through the API", conflict.Message, StringComparison.Ordinal);
    }

    [Property(MaxTest = 300)]
    public Property No_sequence_of_valid_invalid_or_empty_files_touches_an_api_environment()
    {
        var file = Gen.OneOf(
            DesiredLists.Select(e => Yaml(e)),
            DesiredLists.Select(e => Yaml(e, allowEmpty: true)),
            Gen.Constant("environments: []\n"),
            Gen.Constant(""),
            Gen.Constant("environments:\n  - {subdomain: main, taskdef: [web]\n"),
            DesiredLists.Select(e => Yaml(e).Replace("taskdef: [\"web\"]", "taskdef: [\"missing\"]", StringComparison.Ordinal)),
            DesiredLists.Select(e => Yaml(e).Replace("subdomain: ", "subdomain: A_", StringComparison.Ordinal)));
        var arb = (from api in Gen.SubListOf(["main", "pr-1", "demo", "qa"]) from files in file.ListOf() select (api, files)).ToArbitrary();
        return Prop.ForAll(arb, t =>
        {
            var store = new InMemoryIntentStore();
            var parser = new DesiredEnvironmentsParser(LaunchParameterResolver.Create([ParameterConfig.DefaultBranch]));
            var sync = new GitOpsSynchronizer(store, new InMemoryEcsBackend(_clock), parser, new GitOpsState(), new SingleReplicaLeadership("test", "test:0", _clock), _clock, NullLogger<GitOpsSynchronizer>.Instance);
            var before = t.api.Select(s => store.SaveAsync(new EnvironmentIntent { Subdomain = s, TaskDefinitions = ["api"] }, 0, Token).Result).ToList();
            foreach (var yaml in t.files)
            {
                sync.SyncAsync(new ConfigText(yaml, Owner), Token).GetAwaiter().GetResult();
                Assert.All(before, intent => Assert.Same(intent, store.Intents[intent.Subdomain]));
            }
            return true;
        });
    }
}
