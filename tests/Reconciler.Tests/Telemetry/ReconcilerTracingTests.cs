using System.Diagnostics;
using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;
using Mirage.Model.Telemetry;
using Mirage.Reconciler.Reconciling;
using Mirage.Reconciler.Tests.GitOps;

namespace Mirage.Reconciler.Tests.Telemetry;

/// <summary>
/// How a trace crosses from an intent write to the passes: the write records its span's traceparent in the intent; a
/// pass that carries that revision out is the write's child, a pass of a settled environment only links to it.
/// </summary>
public sealed class ReconcilerTracingTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 3, 0, 0, TimeSpan.Zero);

    // This test's own trace: the listener records only activities of it, so other tests' passes and writes, running
    // at the same time in this process, are neither recorded nor changed.
    private readonly ActivityTraceId _trace = ActivityTraceId.CreateRandom();
    private readonly List<Activity> _stopped = [];
    private readonly ActivityListener _listener;

    public ReconcilerTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MirageTracing.ModelSourceName or ReconcilerTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Parent.TraceId == _trace || options.Links?.Any(l => l.Context.TraceId == _trace) == true
                    ? ActivitySamplingResult.AllDataAndRecorded
                    : ActivitySamplingResult.None,
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

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task An_intent_write_keeps_the_traceparent_of_its_span_and_an_untraced_write_clears_it()
    {
        var store = new InMemoryIntentStore();
        using var request = Request();

        var traced = await IntentUpdates.UpdateAsync(store, "traced", _ => Intent("traced"), TestContext.Current.CancellationToken);
        request.Stop();
        var untraced = await IntentUpdates.UpdateAsync(store, "traced", i => i! with { Desired = DesiredState.Terminated }, TestContext.Current.CancellationToken);

        var write = Assert.Single(Stopped("mirage.intent.save"));
        Assert.Equal(request.SpanId, write.ParentSpanId);
        Assert.Equal("traced", write.GetTagItem(MirageTracing.Environment));
        Assert.Equal(write.Id, traced!.TraceParent);
        Assert.Null(untraced!.TraceParent);
        Assert.Null(store.Intents["traced"].TraceParent);
    }

    [Fact]
    public void A_pass_that_carries_out_the_revision_is_a_child_of_the_write_and_a_settled_environment_s_pass_only_links_to_it()
    {
        var write = new ActivityContext(_trace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var intent = Intent("env") with { Revision = 2, TraceParent = $"00-{write.TraceId}-{write.SpanId}-01" };

        using (ReconcilerTracing.StartPass("env", intent, status: null))
        {
        }
        using (ReconcilerTracing.StartPass("env", intent, new EnvironmentStatus { Subdomain = "env", ObservedRevision = 1, State = LifecycleState.Running }))
        {
        }
        using (ReconcilerTracing.StartPass("env", intent, new EnvironmentStatus { Subdomain = "env", ObservedRevision = 2, State = LifecycleState.Launching }))
        {
        }
        using (ReconcilerTracing.StartPass("env", intent, new EnvironmentStatus { Subdomain = "env", ObservedRevision = 2, State = LifecycleState.Running }))
        {
        }

        var passes = Stopped("mirage.reconcile");
        Assert.Equal(4, passes.Count);
        Assert.All(passes.Take(3), child =>
        {
            Assert.Equal(write.TraceId, child.TraceId);
            Assert.Equal(write.SpanId, child.ParentSpanId);
            Assert.Empty(child.Links);
        });
        var settled = passes[3];
        Assert.NotEqual(write.TraceId, settled.TraceId);
        Assert.Equal(default, settled.ParentSpanId);
        Assert.Equal(write.SpanId, Assert.Single(settled.Links).Context.SpanId);
        Assert.All(passes, p => Assert.Equal("env", p.GetTagItem(MirageTracing.Environment)));
    }

    private Activity Request()
    {
        var parent = new ActivityContext(_trace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        // A stand-in for the API's request span: an activity of this trace that the writes below run under.
        var activity = new Activity("request").SetParentId(parent.TraceId, parent.SpanId, ActivityTraceFlags.Recorded);
        activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        return activity.Start();
    }

    private List<Activity> Stopped(string name)
    {
        lock (_stopped)
        {
            return [.. _stopped.Where(a => a.OperationName == name && a.TraceId == _trace || a.OperationName == name && a.Links.Any(l => l.Context.TraceId == _trace))];
        }
    }

    private static EnvironmentIntent Intent(string subdomain) => new()
    {
        Subdomain = subdomain,
        TaskDefinitions = ["web"],
        CreatedAt = Now,
        UpdatedAt = Now,
    };
}
