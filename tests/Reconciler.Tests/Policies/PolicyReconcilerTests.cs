using Microsoft.Extensions.Logging.Abstractions;
using Mirage.Model.Configuration;
using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;
using Mirage.Reconciler.Purge;
using Mirage.Reconciler.Reconciling;
using Mirage.Reconciler.Tests.Reconciling;

namespace Mirage.Reconciler.Tests.Policies;

/// <summary>Each policy firing on a manual clock, through real reconcile passes over the file store.</summary>
public sealed class PolicyReconcilerTests : IDisposable
{
    private readonly ReconcilerHarness _h = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Ttl_requeues_for_its_deadline_shows_it_and_terminates_with_an_event_when_it_passes()
    {
        var launchedAt = _h.Clock.GetUtcNow();
        await _h.LaunchAsync("short", new LifecyclePolicy(Ttl: TimeSpan.FromHours(2)), "web");
        var next = (await _h.RunAsync("short")).RequeueAfter;

        var expiring = (await _h.StatusAsync("short")).Find(ConditionTypes.Expiring)!;
        Assert.Equal(ConditionStatus.True, expiring.Status);
        Assert.Equal("expires at 2026-01-01T02:00:00Z (ttl 2h0m0s since the last launch)", expiring.Message);
        Assert.Single((await _h.StatusAsync("short")).Events, e => e.Reason == "Running" && e.Message == "All 1 tasks of revision 1 are running");
        // Requeued for the deadline itself, not polled.
        Assert.Equal(launchedAt.AddHours(2) - _h.Clock.GetUtcNow(), next);

        _h.Clock.Advance(next!.Value);
        await _h.PassAsync("short");
        var intent = (await _h.Store.GetAsync("short", Token))!;
        Assert.Equal(DesiredState.Terminated, intent.Desired);
        Assert.Equal(CauseReasons.Expired, intent.Cause!.Reason);

        await _h.PassAsync("short");
        var status = await _h.StatusAsync("short");
        Assert.Equal(LifecycleState.Terminating, status.State);
        Assert.Contains(status.Events, e => e.Reason == CauseReasons.Expired && e.Message.StartsWith("Expired: ttl 2h0m0s", StringComparison.Ordinal));
        Assert.Null(_h.Publisher.Current.Find("short"));
    }

    [Fact]
    public async Task A_relaunch_resets_the_ttl()
    {
        await _h.LaunchAsync("app", new LifecyclePolicy(Ttl: TimeSpan.FromHours(1)), "web:1");
        await _h.RunAsync("app");
        _h.Clock.Advance(TimeSpan.FromMinutes(50));

        await _h.LaunchAsync("app", new LifecyclePolicy(Ttl: TimeSpan.FromHours(1)), "web:2");
        await _h.RunAsync("app");
        _h.Clock.Advance(TimeSpan.FromMinutes(20));
        await _h.PassAsync("app");

        Assert.Equal(DesiredState.Running, (await _h.Store.GetAsync("app", Token))!.Desired);
        Assert.Contains("2026-01-01T01:50:", (await _h.StatusAsync("app")).Find(ConditionTypes.Expiring)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idle_purge_waits_for_a_window_without_requests_and_reads_the_counters_only_at_deadlines()
    {
        await _h.LaunchAsync("quiet", new LifecyclePolicy(IdleWindow: TimeSpan.FromHours(1)), "web");
        await _h.RunAsync("quiet");
        _h.Clock.Advance(TimeSpan.FromMinutes(30));
        _h.Access.Request("quiet");

        // At the first deadline (an hour after the launch) there was a request half an hour ago: not idle.
        _h.Clock.Advance(TimeSpan.FromMinutes(31));
        var next = (await _h.PassAsync("quiet")).RequeueAfter;
        Assert.Equal(DesiredState.Running, (await _h.Store.GetAsync("quiet", Token))!.Desired);
        var idle = (await _h.StatusAsync("quiet")).Find(ConditionTypes.Idle)!;
        Assert.Equal(ConditionStatus.True, idle.Status);
        Assert.StartsWith("purged at 2026-01-01T01:2", idle.Message, StringComparison.Ordinal);
        Assert.InRange(next!.Value, TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(31));

        // Passes before that deadline (the periodic resync) reuse what the counters said.
        var reads = _h.Access.Reads;
        _h.Clock.Advance(TimeSpan.FromMinutes(5));
        await _h.PassAsync("quiet");
        Assert.Equal(reads, _h.Access.Reads);

        _h.Clock.Advance(next.Value);
        await _h.PassAsync("quiet");
        var intent = (await _h.Store.GetAsync("quiet", Token))!;
        Assert.Equal(DesiredState.Terminated, intent.Desired);
        Assert.Equal("Purged: no request for 1h0m0s", intent.Cause!.Message);
        await _h.PassAsync("quiet");
        Assert.Contains((await _h.StatusAsync("quiet")).Events, e => e.Reason == CauseReasons.IdlePurged);
    }

    [Fact]
    public async Task Keep_pins_an_environment_past_its_ttl_and_says_so()
    {
        await _h.LaunchAsync("pinned", new LifecyclePolicy(Keep: true, Ttl: TimeSpan.FromMinutes(10), IdleWindow: TimeSpan.FromMinutes(10)), "web");
        var next = (await _h.RunAsync("pinned")).RequeueAfter;
        _h.Clock.Advance(TimeSpan.FromDays(3));
        await _h.PassAsync("pinned");

        Assert.Null(next);
        Assert.Equal(DesiredState.Running, (await _h.Store.GetAsync("pinned", Token))!.Desired);
        var expiring = (await _h.StatusAsync("pinned")).Find(ConditionTypes.Expiring)!;
        Assert.Equal(ConditionStatus.False, expiring.Status);
        Assert.Equal("Kept", expiring.Reason);
    }

    [Fact]
    public async Task A_keep_tag_on_a_task_pins_its_environment()
    {
        var config = new MirageConfig { Parameters = [ParameterConfig.DefaultBranch, new ParameterConfig { Name = "MirageKeep" }] };
        using var h = new ReconcilerHarness(config: config);
        var intent = new EnvironmentIntent
        {
            Subdomain = "tagged",
            TaskDefinitions = ["web"],
            Parameters = new Dictionary<string, string> { ["branch"] = "main", ["MirageKeep"] = "true" },
            Policy = new LifecyclePolicy(Ttl: TimeSpan.FromMinutes(5)),
            LaunchedAt = h.Clock.GetUtcNow(),
        };
        await h.Store.SaveAsync(intent, 0, Token);
        await h.RunAsync("tagged");
        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.PassAsync("tagged");

        Assert.Equal(DesiredState.Running, (await h.Store.GetAsync("tagged", Token))!.Desired);
        Assert.Contains("MirageKeep", (await h.StatusAsync("tagged")).Find(ConditionTypes.Expiring)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_purge_records_why_and_a_dry_run_terminates_nothing()
    {
        await _h.LaunchAsync("old", "web");
        await _h.RunAsync("old");
        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        var purge = new PurgeService(_h.Store, new ObservedTasks(_h.Backend, _h.Clock), _h.Access, _h.Clock, NullLogger<PurgeService>.Instance);
        var request = new PurgeRequest(TimeSpan.FromMinutes(5), [], new Dictionary<string, string>(), null, DryRun: true);

        Assert.Equal(["old"], await purge.RunAsync(request, Token));
        Assert.Equal(DesiredState.Running, (await _h.Store.GetAsync("old", Token))!.Desired);

        Assert.Equal(["old"], await purge.RunAsync(request with { DryRun = false }, Token));
        await _h.PassAsync("old");
        var purged = Assert.Single((await _h.StatusAsync("old")).Events, e => e.Reason == CauseReasons.Purged);
        Assert.Equal("Purged: no request in 5m0s", purged.Message);
    }

    [Fact]
    public async Task A_purge_window_longer_than_all_of_time_selects_nothing_instead_of_overflowing()
    {
        // The API and the config bound the window; a request built another way must still not throw.
        await _h.LaunchAsync("young", "web");
        await _h.RunAsync("young");
        var purge = new PurgeService(_h.Store, new ObservedTasks(_h.Backend, _h.Clock), _h.Access, _h.Clock, NullLogger<PurgeService>.Instance);
        var request = new PurgeRequest(TimeSpan.MaxValue, [], new Dictionary<string, string>(), null, DryRun: true);

        Assert.Empty(await purge.SelectAsync(request, Token));
    }

    [Fact]
    public async Task A_file_environment_ended_by_its_ttl_is_kept_on_record_past_the_retention()
    {
        var intent = new EnvironmentIntent
        {
            Subdomain = "from-file",
            TaskDefinitions = ["web"],
            Parameters = new Dictionary<string, string> { ["branch"] = "main" },
            Source = IntentSource.GitOps,
            Owner = "desired.yaml",
            Policy = new LifecyclePolicy(Ttl: TimeSpan.FromMinutes(30)),
            LaunchedAt = _h.Clock.GetUtcNow(),
        };
        await _h.Store.SaveAsync(intent, 0, Token);
        await _h.RunAsync("from-file");
        _h.Clock.Advance(TimeSpan.FromMinutes(30));
        await _h.PassAsync("from-file");
        await _h.PassAsync("from-file");
        await _h.PassAsync("from-file");
        Assert.Equal(LifecycleState.Terminated, (await _h.StatusAsync("from-file")).State);

        _h.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Null((await _h.PassAsync("from-file")).RequeueAfter);
        Assert.NotNull(await _h.Store.GetAsync("from-file", Token));
    }
}
