using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mirage.Model.Intents;
using Mirage.Reconciler.Policies;

namespace Mirage.Reconciler.Tests.Policies;

public sealed class PolicyEvaluatorTests
{
    private static readonly DateTimeOffset Launch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ttl_fires_at_launch_plus_ttl_and_not_a_moment_before()
    {
        var policy = new LifecyclePolicy(Ttl: TimeSpan.FromHours(2));

        var before = PolicyEvaluator.Evaluate(policy, false, Launch, true, null, Launch.AddHours(2).AddSeconds(-1));
        var at = PolicyEvaluator.Evaluate(policy, false, Launch, true, null, Launch.AddHours(2));

        Assert.Null(before.Fired);
        Assert.Equal(Launch.AddHours(2), before.NextCheck(Launch.AddHours(2).AddSeconds(-1)));
        Assert.Equal(CauseReasons.Expired, at.Fired!.Reason);
        Assert.Equal("Expired: ttl 2h0m0s since the launch at 2026-01-01T00:00:00Z passed", at.Fired.Message);
    }

    [Fact]
    public void Idle_counts_from_the_launch_and_only_while_serving()
    {
        var policy = new LifecyclePolicy(IdleWindow: TimeSpan.FromHours(1));

        var early = PolicyEvaluator.Evaluate(policy, false, Launch, true, null, Launch.AddMinutes(59));
        var due = PolicyEvaluator.Evaluate(policy, false, Launch, true, null, Launch.AddHours(1));
        var notServing = PolicyEvaluator.Evaluate(policy, false, Launch, false, null, Launch.AddHours(5));

        Assert.Null(early.Fired);
        Assert.Equal(Launch.AddHours(1), early.IdleDeadline);
        Assert.Equal(CauseReasons.IdlePurged, due.Fired!.Reason);
        Assert.Equal("Purged: no request for 1h0m0s", due.Fired.Message);
        Assert.Null(notServing.Fired);
        Assert.Null(notServing.NextCheck(Launch.AddHours(5)));
    }

    [Fact]
    public void A_request_in_the_window_moves_the_idle_deadline_and_never_fires_now()
    {
        var policy = new LifecyclePolicy(IdleWindow: TimeSpan.FromHours(1));
        var now = Launch.AddHours(3);

        var recent = PolicyEvaluator.Evaluate(policy, false, Launch, true, now.AddMinutes(-20), now);
        var edge = PolicyEvaluator.Evaluate(policy, false, Launch, true, now.AddMinutes(-61), now);

        Assert.Null(recent.Fired);
        Assert.Equal(now.AddMinutes(40), recent.IdleDeadline);
        Assert.Null(edge.Fired);
        Assert.Equal(now + PolicyEvaluator.Granularity, edge.IdleDeadline);
    }

    [Fact]
    public void Keep_and_a_keep_tag_win_over_every_deadline()
    {
        var policy = new LifecyclePolicy(Keep: true, Ttl: TimeSpan.FromMinutes(1), IdleWindow: TimeSpan.FromMinutes(1));
        var kept = PolicyEvaluator.Evaluate(policy, false, Launch, true, null, Launch.AddDays(30));
        var tagged = PolicyEvaluator.Evaluate(policy with { Keep = false }, true, Launch, true, null, Launch.AddDays(30));

        Assert.True(kept.Kept);
        Assert.Null(kept.Fired);
        Assert.Null(kept.NextCheck(Launch));
        Assert.True(tagged.Kept);
        Assert.Null(tagged.Fired);
    }

    [Property(MaxTest = 1000)]
    public Property Nothing_fires_before_the_next_check_it_announces()
    {
        // Evaluating at any moment before the announced next check fires nothing: sleeping until then is safe.
        var arb = Gen.Choose(0, 600).ListOf(4).ToArbitrary();
        return Prop.ForAll(arb, values =>
        {
            var (ttl, idle, at, lastRequestAgo) = (values[0] + 1, values[1] + 1, values[2] * 2, values[3]);
            var policy = new LifecyclePolicy(Ttl: TimeSpan.FromMinutes(ttl), IdleWindow: TimeSpan.FromMinutes(idle));
            var now = Launch.AddMinutes(at);
            DateTimeOffset? last = lastRequestAgo < idle && lastRequestAgo <= at ? now.AddMinutes(-lastRequestAgo) : null;
            var verdict = PolicyEvaluator.Evaluate(policy, false, Launch, true, last, now);
            if (verdict.Fired is not null || verdict.NextCheck(now) is not { } next)
            {
                return true;
            }
            var between = now + ((next - now) / 2);
            return next > now && PolicyEvaluator.Evaluate(policy, false, Launch, true, last, between).Fired is null;
        });
    }
}
