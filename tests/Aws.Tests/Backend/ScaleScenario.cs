using Mirage.Aws.Ecs;
using Mirage.Aws.Tests.Moto;
using Mirage.Model.Lifecycle;

namespace Mirage.Aws.Tests.Backend;

/// <summary>Many environments launched through intents, and ECS calls counted by operation at the fault proxy.</summary>
public static class ScaleScenario
{
    /// <summary>2⌈n/100⌉ + 2: ListTasks and DescribeTasks pages of the RUNNING tasks, and of the STOPPED ones.</summary>
    public static int Budget(int environments) => 2 * ((environments + 99) / 100) + 2;

    public static Dictionary<string, int> EcsCalls(FaultProxy proxy) => proxy.Requests
        .Where(r => r.Headers.TryGetValue("X-Amz-Target", out var target) && target.StartsWith(EcsClient.TargetPrefix, StringComparison.Ordinal))
        .GroupBy(r => r.Operation!)
        .ToDictionary(g => g.Key, g => g.Count());

    public static string Describe(IReadOnlyDictionary<string, int> calls) =>
        string.Join(", ", calls.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key}"));

    /// <summary>Launches the environments through intents and waits until every one is routed and Running.</summary>
    public static async Task LaunchAndSettleAsync(AwsModeHost mirage, int count, CancellationToken cancellationToken)
    {
        var subdomains = Enumerable.Range(0, count).Select(i => $"env-{i:000}").ToList();
        foreach (var subdomain in subdomains)
        {
            await mirage.LaunchAsync(subdomain, "main", "web");
        }
        await AwsModeHost.EventuallyAsync(async () =>
        {
            foreach (var subdomain in subdomains)
            {
                if (mirage.Routes.Current.FindByKey(subdomain) is null ||
                    await mirage.Store.GetStatusAsync(subdomain, cancellationToken) is not { State: LifecycleState.Running, Tasks.Count: 1 })
                {
                    return null;
                }
            }
            return "";
        }, $"{count} environments routed and Running", TimeSpan.FromMinutes(5));
    }
}
