using System.Text.Json.Nodes;
using Mirage.Aws.Logs;
using Mirage.Aws.Tests.Moto;

namespace Mirage.Aws.Tests.Logs;

[Collection(MotoCollection.Name)]
public sealed class CloudWatchLogsClientTests(MotoFixture moto) : IAsyncLifetime
{
    private const string Group = "/mirage/web";
    private const string Stream = "app/app/0123456789abcdef";
    // CloudWatch Logs (and moto) drop events older than 14 days, so the events are recent.
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() - 3600);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await moto.ResetAsync(Token);
        var setup = new MotoSetup(moto);
        await setup.LogsAsync("CreateLogGroup", new JsonObject { ["logGroupName"] = Group }, Token);
        await setup.LogsAsync("CreateLogStream", new JsonObject { ["logGroupName"] = Group, ["logStreamName"] = Stream }, Token);
        var events = new JsonArray();
        for (var i = 0; i < 25; i++)
        {
            events.Add(new JsonObject { ["timestamp"] = Start.AddSeconds(i).ToUnixTimeMilliseconds(), ["message"] = $"line {i}" });
        }
        await setup.LogsAsync("PutLogEvents", new JsonObject { ["logGroupName"] = Group, ["logStreamName"] = Stream, ["logEvents"] = events }, Token);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task GetLogEvents_follows_the_forward_token_until_it_repeats()
    {
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint);
        await using var aws = new AwsClients(proxy.Endpoint);

        var events = await aws.Logs.GetLogEventsAsync(new LogEventsQuery(Group, Stream, Limit: 10), Token);

        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"line {i}"), events.Select(e => e.Message));
        Assert.Equal(Start.AddSeconds(24), events[^1].Timestamp);
        // Pages of 10, 10, 5, then an empty page whose forward token equals the one sent.
        Assert.Equal(4, proxy.Count("GetLogEvents"));
    }

    [Fact]
    public async Task Start_and_end_times_bound_the_window()
    {
        await using var aws = new AwsClients(moto.Endpoint);

        var events = await aws.Logs.GetLogEventsAsync(new LogEventsQuery(Group, Stream, StartTime: Start.AddSeconds(10), EndTime: Start.AddSeconds(19), Limit: 4), Token);

        Assert.Equal(Enumerable.Range(10, 10).Select(i => $"line {i}"), events.Select(e => e.Message));
    }

    [Fact]
    public async Task MaxEvents_caps_the_total()
    {
        await using var aws = new AwsClients(moto.Endpoint);

        var events = await aws.Logs.GetLogEventsAsync(new LogEventsQuery(Group, Stream, Limit: 10, MaxEvents: 12), Token);

        Assert.Equal(12, events.Count);
    }

    [Fact]
    public async Task A_missing_stream_is_a_typed_not_found_error()
    {
        await using var aws = new AwsClients(moto.Endpoint);

        var error = await Assert.ThrowsAsync<Errors.AwsServiceException>(() => aws.Logs.GetLogEventsAsync(new LogEventsQuery(Group, "no/such/stream"), Token));

        Assert.Equal("ResourceNotFoundException", error.Code);
        Assert.False(error.IsRetryable);
    }
}
