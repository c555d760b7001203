using Mirage.Api.Tests.Telemetry.Otlp;
using Mirage.TestKit;

namespace Mirage.Api.Tests.Telemetry;

/// <summary>
/// A real mirage process exporting OTLP/HTTP (protobuf) to a loopback receiver, as the standard OTEL_* variables
/// configure it: one trace runs from the launch request through the intent write and the pass that carries the launch
/// out to the backend call, and the metrics arrive too.
/// </summary>
public sealed class OtlpExportTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string Names(OtlpReceiver receiver) => string.Join(", ", receiver.Spans.Select(s => $"{s.Scope}/{s.Name}"));

    [Fact]
    public async Task A_launch_is_one_trace_from_the_request_through_the_intent_and_the_pass_to_the_backend_call()
    {
        await using var receiver = await OtlpReceiver.StartAsync(Token);
        await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions
        {
            Arguments = ["--local"],
            Environment = new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString().TrimEnd('/'),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            },
        }, Token);

        using (var launch = await mirage.PostApiAsync("/api/launch", new { subdomain = "traced", branch = "main", taskdef = new[] { "demo" }, wait = true }, Token))
        {
            Assert.True(launch.IsSuccessStatusCode, mirage.Explain("launch"));
        }

        var request = await Eventually.ReadAsync(
            () => Task.FromResult(receiver.Spans.FirstOrDefault(s => s.Name == "POST /api/launch")),
            found => found is not null, Within, _ => $"no POST /api/launch span among {Names(receiver)}\n{mirage.Output}", Token);
        var spans = await Eventually.ReadAsync(
            () => Task.FromResult(receiver.Spans.Where(s => s.TraceId == request!.TraceId).ToList()),
            trace => trace.Any(s => s.Name == "LocalEcs.RunTask"), Within, trace => $"no LocalEcs.RunTask in the launch's trace: {string.Join(", ", trace.Select(s => s.Name))}", Token);

        Assert.Equal("Mirage.Api", request!.Scope);
        Assert.Equal("", request.ParentSpanId);
        Assert.Equal("POST", request.Attributes["http.request.method"]);
        Assert.Equal("200", request.Attributes["http.response.status_code"]);
        var intent = Assert.Single(spans, s => s.Name == "mirage.intent.save");
        Assert.Equal(request.SpanId, intent.ParentSpanId);
        Assert.Equal("traced", intent.Attributes["mirage.environment"]);
        // The first pass of the revision is the intent's child; it fires Launch and runs the task.
        var pass = Assert.Single(spans, s => s.Name == "mirage.reconcile" && s.Attributes.GetValueOrDefault("mirage.lifecycle.trigger") == "Launch");
        Assert.Equal(intent.SpanId, pass.ParentSpanId);
        Assert.Equal("traced", pass.Attributes["mirage.environment"]);
        var runTask = Assert.Single(spans, s => s.Name == "LocalEcs.RunTask");
        Assert.Equal(pass.SpanId, runTask.ParentSpanId);
        Assert.Equal("RunTask", runTask.Attributes["rpc.method"]);
        Assert.StartsWith("arn:aws:ecs:", runTask.Attributes["aws.ecs.task.arn"]);

        var metrics = await Eventually.ReadAsync(
            () => Task.FromResult(receiver.MetricNames),
            names => names.Contains("mirage.reconcile.passes") && names.Contains("mirage.leader"), Within, names => $"metrics received: {string.Join(", ", names)}", Token);
        Assert.Contains("mirage.environments", metrics);
    }
}
