using Mirage.Model.Backend;
using Mirage.Model.Configuration;
using Mirage.Model.Lifecycle;
using Mirage.Reconciler.Reconciling;
using Mirage.Reconciler.Tests.Reconciling;

namespace Mirage.Reconciler.Tests.Policies;

/// <summary>mirage-ecs's recover: tasks stopped by the infrastructure come back without using up restarts.</summary>
public sealed class RecoverTests : IDisposable
{
    private readonly ReconcilerHarness _h = new(new ReconcilerOptions { MaxRestarts = 0 },
        new MirageConfig { Recover = new RecoverConfig { MaxPerHour = 2 } });

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_maintenance_stop_is_relaunched_as_a_recovery_even_with_no_restarts_left()
    {
        await _h.LaunchAsync("app", "web");
        await _h.RunAsync("app");
        var first = _h.Backend.Tasks.Single();

        _h.Backend.StopByInfrastructure(first.Arn, $"Task stopped: {RecoverConfig.MaintenanceReason}.");
        await _h.PassAsync("app");

        var status = await _h.StatusAsync("app");
        Assert.Equal(LifecycleState.Relaunching, status.State);
        Assert.Equal(0, status.Restarts);
        Assert.Equal(1, status.Recoveries);
        Assert.Contains(status.Events, e => e.Reason == "Recovered" && e.Message.StartsWith("Recovered after infrastructure maintenance", StringComparison.Ordinal));
        var second = Assert.Single(_h.Backend.Tasks, t => t.DesiredStatus == EcsTaskStatus.Running);
        Assert.NotEqual(first.Arn, second.Arn);
        // mirage-ecs's recover.parameter: the relaunched task says it was relaunched; the first launch did not.
        Assert.All(second.Overrides, o => Assert.Contains(new EnvironmentVariable("RELAUNCH", "on"), o.Environment));
        Assert.Contains(new EcsTag("Relaunch", "on"), second.Tags);
        Assert.All(first.Overrides, o => Assert.DoesNotContain(o.Environment, e => e.Name == "RELAUNCH"));
        Assert.NotEmpty(second.Overrides);

        _h.Backend.StartAll();
        await _h.PassAsync("app");
        Assert.Equal(LifecycleState.Running, (await _h.StatusAsync("app")).State);
        Assert.NotNull(_h.Publisher.Current.Find("app"));
    }

    [Fact]
    public async Task A_termination_notice_counts_as_infrastructure_and_the_hourly_limit_is_reported()
    {
        await _h.LaunchAsync("app", "web");
        await _h.RunAsync("app");
        for (var i = 0; i < 2; i++)
        {
            _h.Backend.StopByInfrastructure(_h.Backend.Tasks.Single(t => t.DesiredStatus == EcsTaskStatus.Running).Arn, "Mirage shut down", "TerminationNotice");
            await _h.RunAsync("app");
        }
        Assert.Equal(2, (await _h.StatusAsync("app")).Recoveries);

        _h.Backend.StopByInfrastructure(_h.Backend.Tasks.Single(t => t.DesiredStatus == EcsTaskStatus.Running).Arn, "Mirage shut down", "TerminationNotice");
        await _h.PassAsync("app");

        var status = await _h.StatusAsync("app");
        Assert.Contains(status.Events, e => e.Reason == "RecoveryLimited");
        Assert.Equal(LifecycleState.Failed, status.State);
    }

    [Fact]
    public async Task An_application_crash_is_not_a_recovery()
    {
        await _h.LaunchAsync("app", "web");
        await _h.RunAsync("app");
        _h.Backend.Crash(_h.Backend.Tasks.Single().Arn, 1);
        await _h.PassAsync("app");

        var status = await _h.StatusAsync("app");
        Assert.Equal(LifecycleState.Failed, status.State);
        Assert.Equal(0, status.Recoveries);
    }
}
