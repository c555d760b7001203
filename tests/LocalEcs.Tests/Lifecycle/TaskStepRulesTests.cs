using Mirage.LocalEcs.Tasks.Readiness;
using Mirage.LocalEcs.Tasks.Stopping;

namespace Mirage.LocalEcs.Tests.Lifecycle;

/// <summary>The pure rules of a local task's readiness and stop escalation.</summary>
public sealed class TaskStepRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_container_not_yet_signalled_gets_SIGTERM_first()
    {
        Assert.Equal(StopSignal.Terminate, StopEscalation.Next(Now, killAt: null, killed: false));
    }

    [Fact]
    public void A_container_within_its_grace_period_gets_nothing_more()
    {
        Assert.Equal(StopSignal.None, StopEscalation.Next(Now, killAt: Now.AddSeconds(1), killed: false));
    }

    [Fact]
    public void A_container_past_its_grace_period_gets_SIGKILL_once()
    {
        Assert.Equal(StopSignal.Kill, StopEscalation.Next(Now, killAt: Now, killed: false));
        Assert.Equal(StopSignal.None, StopEscalation.Next(Now.AddSeconds(5), killAt: Now, killed: true));
    }

    [Fact]
    public void A_task_whose_ports_all_accept_is_ready()
    {
        Assert.Equal(ReadinessVerdict.Ready, Readiness.Judge(null, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30)).Verdict);
    }

    [Fact]
    public void A_closed_port_is_waited_for_until_the_timeout()
    {
        var closed = new ClosedPort("web", 8080, 40123);

        Assert.Equal(ReadinessVerdict.Waiting, Readiness.Judge(closed, TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(30)).Verdict);
    }

    [Fact]
    public void A_port_closed_past_the_timeout_fails_the_start_naming_the_container_and_port()
    {
        var verdict = Readiness.Judge(new ClosedPort("web", 8080, 40123), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));

        Assert.Equal(ReadinessVerdict.TimedOut, verdict.Verdict);
        Assert.Equal("Task failed to start: port 8080 of container web (127.0.0.1:40123) did not accept connections within 30 s", verdict.FailureReason);
    }
}
