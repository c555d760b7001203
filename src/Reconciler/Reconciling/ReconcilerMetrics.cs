using System.Diagnostics.Metrics;
using Mirage.Model.Leadership;
using Mirage.Model.Lifecycle;
using Mirage.Reconciler.Queue;

namespace Mirage.Reconciler.Reconciling;

/// <summary>
/// The reconciler's instruments on the <c>Mirage.Reconciler</c> meter: passes by result, their duration, the work
/// queue's depth, environments by lifecycle state, and whether this replica leads (and under which term). The gauges
/// are read when collected, so they cost nothing between scrapes.
/// </summary>
public sealed class ReconcilerMetrics
{
    public const string MeterName = "Mirage.Reconciler";

    private static readonly LifecycleState[] States = Enum.GetValues<LifecycleState>();

    private readonly Counter<long> _passes;
    private readonly Histogram<double> _duration;
    private readonly KeyValuePair<string, object?>[] _stateTags =
        [.. States.Select(s => new KeyValuePair<string, object?>("state", s.ToString().ToLowerInvariant()))];

    public ReconcilerMetrics(IMeterFactory meterFactory, WorkQueue queue, EnvironmentStates states, ILeadership leadership)
    {
        var meter = meterFactory.Create(MeterName);
        _passes = meter.CreateCounter<long>("mirage.reconcile.passes", unit: "{pass}", description: "Reconcile passes by result: done, requeued or failed");
        _duration = meter.CreateHistogram<double>("mirage.reconcile.duration", unit: "s", description: "How long a reconcile pass took");
        meter.CreateObservableGauge("mirage.workqueue.depth", () => queue.Count, unit: "{environment}", description: "Environments waiting for a pass");
        meter.CreateObservableGauge("mirage.environments", () => CountByState(states, leadership), unit: "{environment}",
            description: "Environments by lifecycle state, as the leader's passes last recorded them (followers report none)");
        meter.CreateObservableGauge("mirage.leader", () => leadership.IsLeader ? 1 : 0,
            description: "1 while this replica leads (reconciles, purges, applies the GitOps file), else 0");
        meter.CreateObservableGauge("mirage.leader.term", () => leadership.View.Term,
            description: "The lease term this replica last saw (0 with a single replica)");
    }

    /// <param name="result"><c>done</c> (nothing more to look at), <c>requeued</c> (asked to look again) or <c>failed</c>.</param>
    public void PassFinished(string result, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("result", result);
        _passes.Add(1, tag);
        _duration.Record(duration.TotalSeconds, tag);
    }

    private IEnumerable<Measurement<long>> CountByState(EnvironmentStates states, ILeadership leadership)
    {
        if (!leadership.IsLeader)
        {
            // Only the leader's passes keep the view; a former leader's would go stale.
            states.Clear();
            return [];
        }
        var counts = states.CountByState();
        var measurements = new Measurement<long>[States.Length];
        for (var i = 0; i < States.Length; i++)
        {
            measurements[i] = new Measurement<long>(counts[(int)States[i]], _stateTags[i]);
        }
        return measurements;
    }
}
