using Microsoft.Extensions.Logging.Abstractions;
using Mirage.Model.Configuration;
using Mirage.Model.Intents;
using Mirage.Reconciler.Purge;
using Mirage.Reconciler.Reconciling;
using Mirage.Reconciler.Tests.Reconciling;
using Mirage.TestKit;

namespace Mirage.Reconciler.Tests.Policies;

/// <summary>purge.schedule on a manual clock: nothing happens before the occurrence, the purge runs at it.</summary>
public sealed class ScheduledPurgeTests : IDisposable
{
    private readonly ReconcilerHarness _h = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _h.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_schedule_runs_the_configured_purge_at_each_occurrence(bool dryRun)
    {
        _h.Clock.Advance(new DateTimeOffset(2026, 1, 1, 11, 0, 0, TimeSpan.Zero) - _h.Clock.GetUtcNow());
        await _h.LaunchAsync("idle-one", "web");
        await _h.LaunchAsync("main", "web");
        await _h.RunAsync("idle-one");
        await _h.RunAsync("main");
        _h.Clock.Advance(new DateTimeOffset(2026, 1, 1, 11, 22, 33, TimeSpan.Zero) - _h.Clock.GetUtcNow());

        var config = new MirageConfig
        {
            Purge = new PurgeConfig
            {
                Schedule = "*/3 * * * ? *",
                Request = new PurgeRequestConfig { Duration = TimeSpan.FromSeconds(300), Excludes = ["main"] },
                DryRun = dryRun,
            },
        };
        var purge = new PurgeService(_h.Store, new ObservedTasks(_h.Backend, _h.Clock), _h.Access, _h.Clock, NullLogger<PurgeService>.Instance);
        var serviceClock = new TimerObservingTimeProvider(_h.Clock);
        using var service = new ScheduledPurgeService(config, purge, serviceClock, NullLogger<ScheduledPurgeService>.Instance);
        await service.StartAsync(Token);
        // The clock moves only once the service waits for 11:24:00; moving it earlier would start that wait late.
        await Eventually.HoldsAsync(() => Task.FromResult(serviceClock.TimersCreated == 1), TimeSpan.FromSeconds(10),
            () => "the scheduled purge never started waiting for its next occurrence", Token);

        // The only way to a run is the service's timer, due at 11:24:00: one second short, it has not fired.
        _h.Clock.Advance(TimeSpan.FromSeconds(86));
        Assert.Equal(1, serviceClock.TimersCreated);
        Assert.Null(service.LastRun);

        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        var run = await WaitForRunAsync(service);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 11, 24, 0, TimeSpan.Zero), run.At);
        Assert.Equal(dryRun, run.DryRun);
        Assert.Equal(["idle-one"], run.Subdomains);
        var idle = (await _h.Store.GetAsync("idle-one", Token))!;
        Assert.Equal(dryRun ? DesiredState.Running : DesiredState.Terminated, idle.Desired);
        Assert.Equal(dryRun ? null : CauseReasons.Purged, idle.Cause?.Reason);
        Assert.Equal(DesiredState.Running, (await _h.Store.GetAsync("main", Token))!.Desired);
        await service.StopAsync(Token);
    }

    private static async Task<ScheduledPurgeRun> WaitForRunAsync(ScheduledPurgeService service) =>
        (await Eventually.ReadAsync(() => Task.FromResult(service.LastRun), run => run is not null, TimeSpan.FromSeconds(10),
            _ => "the scheduled purge did not run", Token))!;
}
