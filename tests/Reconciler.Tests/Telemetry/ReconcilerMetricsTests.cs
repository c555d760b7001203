using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using Mirage.Model.Leadership;
using Mirage.Model.Lifecycle;
using Mirage.Reconciler.Queue;
using Mirage.Reconciler.Reconciling;

namespace Mirage.Reconciler.Tests.Telemetry;

/// <summary>The gauges of <see cref="ReconcilerMetrics"/>: environments by state on the leader only, leader and term.</summary>
public sealed class ReconcilerMetricsTests
{
    [Fact]
    public void The_leader_reports_every_state_with_its_count_and_a_follower_reports_none_and_forgets_them()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var states = new EnvironmentStates();
        states.Set("a", LifecycleState.Running);
        states.Set("b", LifecycleState.Running);
        states.Set("c", LifecycleState.Failed);
        states.Set("d", LifecycleState.Launching);
        states.Remove("d");
        var leadership = new SwitchableLeadership { Leading = true, Term = 7 };
        _ = new ReconcilerMetrics(factory, new WorkQueue(new FakeTimeProvider()), states, leadership);
        using var environments = new MetricCollector<long>(factory, ReconcilerMetrics.MeterName, "mirage.environments");
        using var leader = new MetricCollector<int>(factory, ReconcilerMetrics.MeterName, "mirage.leader");
        using var term = new MetricCollector<long>(factory, ReconcilerMetrics.MeterName, "mirage.leader.term");

        environments.RecordObservableInstruments();
        leader.RecordObservableInstruments();
        term.RecordObservableInstruments();
        var counts = environments.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["state"]!, m => m.Value);
        Assert.Equal(Enum.GetValues<LifecycleState>().Length, counts.Count);
        Assert.Equal(2, counts["running"]);
        Assert.Equal(1, counts["failed"]);
        Assert.Equal(0, counts["launching"]);
        Assert.Equal(1, leader.LastMeasurement!.Value);
        Assert.Equal(7, term.LastMeasurement!.Value);

        leadership.Leading = false;
        environments.Clear();
        environments.RecordObservableInstruments();
        leader.RecordObservableInstruments();
        Assert.Empty(environments.GetMeasurementSnapshot());
        Assert.Equal(0, leader.LastMeasurement!.Value);
        Assert.All(states.CountByState(), count => Assert.Equal(0, count));
    }

    private sealed class SwitchableLeadership : ILeadership
    {
        public bool Leading { get; set; }
        public long Term { get; set; }
        public string ReplicaId => "r1";
        public CancellationToken LeadingToken => new(canceled: !Leading);
        public bool IsLeader => Leading;

        public event Action<bool>? LeadershipChanged
        {
            add { }
            remove { }
        }

        public long EnsureLeading(string write) => Leading ? Term : throw new LeadershipLostException(write, Term, "a follower");

        public ClusterView View => new("r1", Leading ? "r1" : "r2", Term, null, null, TimeSpan.FromSeconds(15), [], "lease");
    }
}
