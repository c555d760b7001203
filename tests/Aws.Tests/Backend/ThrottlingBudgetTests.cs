using Microsoft.Extensions.DependencyInjection;
using Mirage.Aws.Endpoints;
using Mirage.Aws.Resilience;
using Mirage.Aws.Tests.Moto;
using Mirage.Model.Backend;
using Mirage.Model.Lifecycle;

namespace Mirage.Aws.Tests.Backend;

/// <summary>Every ECS call goes through one rate limiter, which ECS's throttling slows down.</summary>
[Collection(MotoCollection.Name)]
public sealed class ThrottlingBudgetTests(MotoFixture moto) : IAsyncLifetime
{
    private readonly AwsScenario _scenario = new(moto);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => new(_scenario.InitializeAsync(Token));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_throttling_burst_slows_ECS_calls_down_and_every_environment_still_converges_once()
    {
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint, enforceEcsLimits: true);
        await using var mirage = new AwsModeHost(proxy.Endpoint, AwsModeHost.ConfigFor(_scenario.Network),
            aws: o =>
            {
                o.EcsRequestsPerSecond = 20;
                o.EcsRequestBurst = 5;
                o.MaxRetryAttempts = 8;
            });
        await mirage.StartAsync(Token);
        var limiter = mirage.Services.GetRequiredService<AwsRateLimiters>().For(AwsService.Ecs)!;
        await AwsModeHost.EventuallyAsync(() => Task.FromResult(proxy.Count("ListTasks") > 0 ? "" : null), "the first listing");
        proxy.Inject(FaultKind.Throttle, 4, "DescribeTaskDefinition");
        proxy.Inject(FaultKind.Throttle, 4, "RunTask");

        var subdomains = Enumerable.Range(0, 6).Select(i => $"busy-{i}").ToList();
        foreach (var subdomain in subdomains)
        {
            await mirage.LaunchAsync(subdomain, "main", "web");
        }
        var slowest = (await AwsModeHost.EventuallyAsync(() => Task.FromResult(limiter.Slowdown >= 4 ? (int?)limiter.Slowdown : null), "the limiter to slow down")).GetValueOrDefault();

        await AwsModeHost.EventuallyAsync(async () =>
        {
            foreach (var subdomain in subdomains)
            {
                if (mirage.Routes.Current.FindByKey(subdomain) is null ||
                    await mirage.Store.GetStatusAsync(subdomain, Token) is not { State: LifecycleState.Running })
                {
                    return null;
                }
            }
            return "";
        }, "every environment routed and Running", TimeSpan.FromMinutes(2));

        Assert.InRange(slowest, 4, AdaptiveRateLimiter.MaxSlowdown);
        Assert.Equal(subdomains.Count, (await _scenario.TasksAsync(EcsTaskStatus.Running, Token)).Count);
        // After the last throttled answer, ECS saw calls no faster than the slowed bucket refills (20/s ÷ 4 or slower
        // at first), not the burst the retries would make: five calls take at least 4 × 50 ms.
        var ecs = proxy.Requests.Where(r => r.Headers.ContainsKey("X-Amz-Target")).OrderBy(r => r.At).ToList();
        var lastThrottled = ecs.FindLastIndex(r => r.Status == 400);
        var after = ecs.Skip(lastThrottled + 1).Take(5).ToList();
        Assert.Equal(5, after.Count);
        Assert.True(after[^1].At - ecs[lastThrottled].At >= TimeSpan.FromMilliseconds(200),
            $"five ECS calls within {(after[^1].At - ecs[lastThrottled].At).TotalMilliseconds} ms of the last throttled one");
    }
}
