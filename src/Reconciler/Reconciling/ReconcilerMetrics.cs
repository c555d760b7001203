using System.Diagnostics.Metrics;
using Mirage.Reconciler.Queue;

namespace Mirage.Reconciler.Reconciling;

/// <summary>
/// The reconciler's instruments on the <c>Mirage.Reconciler</c> meter: passes by result, their duration, and the work
/// queue's depth (read when collected, so it costs nothing between scrapes).
/// </summary>
public sealed class ReconcilerMetrics
{
    public const string MeterName = "Mirage.Reconciler";

    private readonly Counter<long> _passes;
    private readonly Histogram<double> _duration;

    public ReconcilerMetrics(IMeterFactory meterFactory, WorkQueue queue)
    {
        var meter = meterFactory.Create(MeterName);
        _passes = meter.CreateCounter<long>("mirage.reconcile.passes", unit: "{pass}", description: "Reconcile passes by result: done, requeued or failed");
        _duration = meter.CreateHistogram<double>("mirage.reconcile.duration", unit: "s", description: "How long a reconcile pass took");
        meter.CreateObservableGauge("mirage.workqueue.depth", () => queue.Count, unit: "{environment}", description: "Environments waiting for a pass");
    }

    /// <param name="result"><c>done</c> (nothing more to look at), <c>requeued</c> (asked to look again) or <c>failed</c>.</param>
    public void PassFinished(string result, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("result", result);
        _passes.Add(1, tag);
        _duration.Record(duration.TotalSeconds, tag);
    }
}
