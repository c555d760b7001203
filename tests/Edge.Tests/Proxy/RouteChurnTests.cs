using System.Net;
using Mirage.Edge.Tests.Support;

namespace Mirage.Edge.Tests.Proxy;

public sealed class RouteChurnTests
{
    [Fact]
    public async Task Routes_churning_every_few_milliseconds_fail_no_request()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var one = await LoopbackBackend.StartAsync("one");
        await using var two = await LoopbackBackend.StartAsync("two");
        await using var edge = await EdgeServer.StartAsync();
        using var client = EdgeClient.Create();
        var snapshots = new[]
        {
            new[] { RouteFactory.To("app", 1, 80, one.Port), RouteFactory.To("wild-*", 2, 80, two.Port), RouteFactory.To("noise-a", 3, 80, one.Port) },
            new[] { RouteFactory.To("app", 1, 80, two.Port), RouteFactory.To("wild-*", 2, 80, one.Port, two.Port), RouteFactory.To("noise-b", 3, 80, two.Port) },
        };
        edge.Routes.Publish(snapshots[0]);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var published = 0;
        var churn = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                edge.Routes.Publish(snapshots[published++ % 2]);
                await Task.Delay(2, CancellationToken.None);
            }
        }, ct);

        const int Requests = 2_000;
        var failures = new List<string>();
        var next = 0;
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) <= Requests)
            {
                var host = i % 2 == 0 ? "app.dev.test" : $"wild-{i % 7}.dev.test";
                var (status, body) = await EdgeClient.GetAsync(client, edge.Port, host);
                if (status != HttpStatusCode.OK || body is not ("one" or "two"))
                {
                    lock (failures)
                    {
                        failures.Add($"{host}: {(int)status} {body}");
                    }
                }
            }
        }, ct)).ToArray();
        await Task.WhenAll(workers);
        await stop.CancelAsync();
        await churn;

        Assert.Empty(failures);
        Assert.True(published > 10, $"only {published} snapshots were published during the run");
        Assert.Equal(Requests, one.Requests + two.Requests);
    }
}
