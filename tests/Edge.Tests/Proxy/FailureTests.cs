using System.Net;
using Mirage.Edge.Forwarding;
using Mirage.Edge.Tests.Support;
using Mirage.Model.Routing;
using Mirage.TestKit;

namespace Mirage.Edge.Tests.Proxy;

public sealed class FailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_refused_connection_gives_502()
    {
        var deadPort = FreePort.Next();
        await using var edge = await EdgeServer.StartAsync();
        using var client = EdgeClient.Create();
        edge.Routes.Publish([RouteFactory.To("gone", 1, 80, deadPort)]);

        Assert.Equal((HttpStatusCode.BadGateway, "gone upstream error\n"), await EdgeClient.GetAsync(client, edge.Port, "gone.dev.test"));

        using var post = EdgeClient.Request(HttpMethod.Post, edge.Port, "gone.dev.test", "/sha256");
        post.Content = new StringContent("body");
        using var response = await client.SendAsync(post, Ct);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task A_refusing_destination_leaves_rotation_and_bodyless_requests_are_retried_elsewhere()
    {
        var deadPort = FreePort.Next();
        await using var live = await LoopbackBackend.StartAsync("live");
        await using var edge = await EdgeServer.StartAsync(configure: o => o.RefusedDestinationCooldown = TimeSpan.FromMinutes(5));
        using var client = EdgeClient.Create();
        edge.Routes.Publish([RouteFactory.To("pair", 1, 80, deadPort, live.Port)]);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal((HttpStatusCode.OK, "live"), await EdgeClient.GetAsync(client, edge.Port, "pair.dev.test"));
        }
        Assert.True(edge.Service<DestinationSelector>().IsDown(new RouteDestination("127.0.0.1", deadPort)));
        Assert.Equal(20, live.Requests);
        Assert.Single(edge.Logs.Lines, l => l.Contains($"127.0.0.1:{deadPort} refused a connection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requests_are_spread_over_several_destinations()
    {
        await using var one = await LoopbackBackend.StartAsync("one");
        await using var two = await LoopbackBackend.StartAsync("two");
        await using var edge = await EdgeServer.StartAsync();
        using var client = EdgeClient.Create();
        edge.Routes.Publish([RouteFactory.To("pair", 1, 80, one.Port, two.Port)]);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await EdgeClient.GetAsync(client, edge.Port, "pair.dev.test")).Status);
        }

        Assert.Equal(10, one.Requests);
        Assert.Equal(10, two.Requests);
    }
}
