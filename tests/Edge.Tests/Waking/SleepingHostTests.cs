using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Mirage.Edge.Tests.Support;
using Mirage.Edge.Waking;
using Mirage.Model.Intents;
using Mirage.Model.Routing;
using Mirage.TestKit;

namespace Mirage.Edge.Tests.Waking;

/// <summary>
/// The Edge in front of a sleeping route, with real Kestrel on both sides: the wake is one intent write however many
/// requests arrive, and they are all proxied once the route serves again. The store stands in for the shared intent
/// store; the test plays the reconciler by publishing the awake route when the wake is written.
/// </summary>
public sealed class SleepingHostTests
{
    private static readonly DateTimeOffset LaunchedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Twenty_concurrent_requests_write_one_wake_request_and_all_get_the_backends_answer()
    {
        await using var backend = await LoopbackBackend.StartAsync("b");
        var store = Asleep("nap");
        await using var edge = await EdgeServer.StartAsync(intents: store);
        edge.Routes.Publish([Route.Asleep("nap", LaunchedAt)]);
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Woken += _ => woken.TrySetResult();

        using var client = EdgeClient(edge, "nap.dev.test");
        var requests = Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await client.GetAsync($"/?n={i}", Ct);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Ct));
        }).ToList();
        await woken.Task.WaitAsync(Ct);
        // Everything waiting joined one flight: nothing more is written while they wait.
        Assert.Equal(1, store.Saves);
        edge.Routes.Publish([RouteFactory.To("nap", 0, 80, backend.Port)]);
        var answers = await Task.WhenAll(requests);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.All(answers, a => Assert.Equal("b", a.Body));
        Assert.Equal(1, store.Saves);
        Assert.Equal(0, edge.Service<SleepingHostWaker>().FlightCount);
        Assert.Equal(20, edge.Counters.GetRecent("nap", TimeSpan.FromMinutes(5)));
        var woke = (await store.GetAsync("nap", Ct))!;
        Assert.False(woke.Asleep);
        Assert.Equal(("Woken", "Woken by a request to nap.dev.test"), (woke.Cause!.Reason, woke.Cause.Message));
    }

    [Fact]
    public async Task A_websocket_to_a_sleeping_host_is_upgraded_once_it_is_awake()
    {
        await using var backend = await LoopbackBackend.StartAsync("b");
        var store = Asleep("chat");
        await using var edge = await EdgeServer.StartAsync(intents: store);
        edge.Routes.Publish([Route.Asleep("chat", LaunchedAt)]);
        // The reconciler's part: once the wake is recorded, the route serves again.
        store.Woken += _ => edge.Routes.Publish([RouteFactory.To("chat", 0, 80, backend.Port)]);

        using var invoker = new HttpMessageInvoker(new HostRewritingHandler("chat.dev.test", new SocketsHttpHandler()));
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{edge.Port}/ws"), invoker, Ct);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, endOfMessage: true, Ct);
        var buffer = new byte[256];
        var result = await socket.ReceiveAsync(buffer, Ct);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Ct);

        Assert.Equal("b:hello", Encoding.UTF8.GetString(buffer, 0, result.Count));
        Assert.Equal(1, store.Saves);
    }

    [Fact]
    public async Task A_sleeping_route_whose_wake_failed_answers_502_with_the_reason_and_writes_nothing()
    {
        var store = Asleep("gone");
        await using var edge = await EdgeServer.StartAsync(intents: store);
        edge.Routes.Publish([Route.Asleep("gone", LaunchedAt, wakeFailure: "task definition web not found")]);

        using var client = EdgeClient(edge, "gone.dev.test");
        using var response = await client.GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("gone.dev.test could not be woken: task definition web not found\n", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(0, store.Saves);
    }

    [Fact]
    public async Task Waiting_requests_get_502_with_the_reason_when_the_wake_fails()
    {
        var store = Asleep("fragile");
        await using var edge = await EdgeServer.StartAsync(intents: store);
        edge.Routes.Publish([Route.Asleep("fragile", LaunchedAt)]);
        store.Woken += _ => edge.Routes.Publish([Route.Asleep("fragile", LaunchedAt, wakeFailure: "tasks stopped 3 times")]);

        using var client = EdgeClient(edge, "fragile.dev.test");
        using var response = await client.GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("fragile.dev.test could not be woken: tasks stopped 3 times\n", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_request_not_answered_within_wake_timeout_gets_503_with_Retry_After()
    {
        var store = Asleep("slow");
        var fake = new FakeTimeProvider(TestClock.Start);
        var clock = new TimerObservingTimeProvider(fake);
        await using var edge = await EdgeServer.StartAsync(intents: store, time: clock);
        edge.Routes.Publish([Route.Asleep("slow", LaunchedAt)]);
        var timersBefore = clock.TimersCreated;

        using var client = EdgeClient(edge, "slow.dev.test");
        var request = client.GetAsync("/", Ct);
        // Advance only once the request waits on its wake_timeout (its timer is registered), never before.
        await Eventually.HoldsAsync(() => Task.FromResult(store.Saves == 1 && clock.TimersCreated > timersBefore), TimeSpan.FromSeconds(30),
            () => $"the request did not start waiting (saves {store.Saves}, timers {clock.TimersCreated})", Ct, TimeSpan.FromMilliseconds(10));
        fake.Advance(TimeSpan.FromSeconds(60));
        using var response = await request;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.Headers.RetryAfter?.ToString());
        Assert.Equal("slow.dev.test is waking up and did not answer within 60 s (sleep.wake_timeout); try again shortly\n",
            await response.Content.ReadAsStringAsync(Ct));
    }

    private static WakeRecordingIntentStore Asleep(string subdomain)
    {
        var store = new WakeRecordingIntentStore();
        store.Put(new EnvironmentIntent { Subdomain = subdomain, TaskDefinitions = ["web"], Asleep = true, Revision = 3, CreatedAt = LaunchedAt, UpdatedAt = LaunchedAt });
        return store;
    }

    private static HttpClient EdgeClient(EdgeServer edge, string host)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{edge.Port}/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Host = host;
        return client;
    }
}
