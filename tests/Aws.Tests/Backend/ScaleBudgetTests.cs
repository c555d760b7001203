using Microsoft.Extensions.DependencyInjection;
using Mirage.Aws.Tests.Moto;
using Mirage.Reconciler.Reconciling;

namespace Mirage.Aws.Tests.Backend;

/// <summary>
/// ECS calls at scale, counted by operation through the fault proxy (which pages ListTasks by 100 as ECS does):
/// a resync costs one paged listing, whatever the number of environments.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ScaleBudgetTests(MotoFixture moto) : IAsyncLifetime
{
    private const int Environments = 150;
    private readonly AwsScenario _scenario = new(moto);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => new(_scenario.InitializeAsync(Token));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task An_idle_resync_of_150_environments_costs_one_paged_listing_and_queues_no_pass()
    {
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint, enforceEcsLimits: true);
        await using var mirage = new AwsModeHost(proxy.Endpoint, AwsModeHost.ConfigFor(_scenario.Network),
            reconciler: o => o.ResyncInterval = TimeSpan.FromHours(1));
        await mirage.StartAsync(Token);
        await ScaleScenario.LaunchAndSettleAsync(mirage, Environments, Token);
        TestContext.Current.TestOutputHelper?.WriteLine($"launching {Environments}: {ScaleScenario.Describe(ScaleScenario.EcsCalls(proxy))}");

        proxy.ClearRecords();
        var queued = await mirage.Services.GetRequiredService<ReconcilerService>().ResyncAsync(everything: false, Token);

        var calls = ScaleScenario.EcsCalls(proxy);
        TestContext.Current.TestOutputHelper?.WriteLine($"one idle resync: {ScaleScenario.Describe(calls)}");
        Assert.Equal(0, queued);
        // ⌈150/100⌉ = 2 pages of RUNNING tasks, each described; one empty page of STOPPED ones.
        Assert.Equal(3, calls.GetValueOrDefault("ListTasks"));
        Assert.Equal(2, calls.GetValueOrDefault("DescribeTasks"));
        Assert.True(calls.Values.Sum() <= ScaleScenario.Budget(Environments), $"one resync made {ScaleScenario.Describe(calls)}; the budget is {ScaleScenario.Budget(Environments)}");
    }
}
