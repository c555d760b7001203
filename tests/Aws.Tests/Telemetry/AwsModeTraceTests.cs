using System.Diagnostics;
using Mirage.Aws.Telemetry;
using Mirage.Aws.Tests.Backend;
using Mirage.Aws.Tests.Moto;
using Mirage.Model.Intents;
using Mirage.Model.Telemetry;
using Mirage.Reconciler.Reconciling;

namespace Mirage.Aws.Tests.Telemetry;

/// <summary>
/// In AWS mode against moto, the launch's trace reaches the AWS calls: the pass that carries the launch out is the
/// intent write's child, and its RunTask is a client span of the pass with the service, operation and status.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AwsModeTraceTests(MotoFixture moto) : IAsyncLifetime, IDisposable
{
    private readonly AwsScenario _scenario = new(moto);
    private readonly ActivityTraceId _trace = ActivityTraceId.CreateRandom();
    private readonly List<Activity> _stopped = [];
    private ActivityListener? _listener;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _scenario.InitializeAsync(Token);
        // Only this test's trace is recorded: other tests' passes and calls, running meanwhile, are left alone.
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MirageTracing.ModelSourceName or ReconcilerTracing.SourceName or AwsCallTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Parent.TraceId == _trace ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                lock (_stopped)
                {
                    _stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public void Dispose() => _listener?.Dispose();

    [Fact]
    public async Task The_pass_carrying_out_a_launch_continues_its_trace_and_each_AWS_call_is_a_client_span_of_the_pass()
    {
        await using var mirage = new AwsModeHost(moto.Endpoint, AwsModeHost.ConfigFor(_scenario.Network));
        await mirage.StartAsync(Token);
        var request = new Activity("request").SetParentId(_trace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start();
        var now = TimeProvider.System.GetUtcNow();
        await IntentUpdates.UpdateAsync(mirage.Store, "traced", _ => new EnvironmentIntent
        {
            Subdomain = "traced",
            TaskDefinitions = ["web"],
            Parameters = new Dictionary<string, string> { ["branch"] = "main" },
            CreatedAt = now,
            UpdatedAt = now,
        }, Token);
        request.Stop();

        var runTask = await AwsModeHost.EventuallyAsync(() => Task.FromResult(Stopped().FirstOrDefault(a => a.OperationName == "ECS.RunTask")), "the ECS.RunTask span");

        var spans = Stopped();
        var write = Assert.Single(spans, a => a.OperationName == "mirage.intent.save");
        Assert.Equal(request.SpanId, write.ParentSpanId);
        var pass = Assert.Single(spans, a => a.SpanId == runTask.ParentSpanId);
        Assert.Equal("mirage.reconcile", pass.OperationName);
        Assert.Equal(write.SpanId, pass.ParentSpanId);
        Assert.Equal("traced", pass.GetTagItem(MirageTracing.Environment));
        Assert.Equal(ActivityKind.Client, runTask.Kind);
        Assert.Equal("aws-api", runTask.GetTagItem("rpc.system"));
        Assert.Equal("ECS", runTask.GetTagItem("rpc.service"));
        Assert.Equal("RunTask", runTask.GetTagItem("rpc.method"));
        Assert.Equal(200, runTask.GetTagItem("http.response.status_code"));
        Assert.Equal(AwsCallOutcome.Success, runTask.GetTagItem("mirage.aws.outcome"));
        Assert.All(spans, s => Assert.Equal(_trace, s.TraceId));
    }

    private List<Activity> Stopped()
    {
        lock (_stopped)
        {
            return [.. _stopped];
        }
    }
}
