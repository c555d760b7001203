using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mirage.Model.Leadership;
using Mirage.Reconciler.Leadership;
using Mirage.TestKit;

namespace Mirage.Reconciler.Tests.Leadership;

public sealed class LeaseElectionTests : IDisposable
{
    private static readonly LeaseOptions Options = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3));

    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly InMemoryLeaseStore _store = new();
    private readonly List<LeaseElection> _elections = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Of_three_replicas_exactly_one_takes_a_free_lease_as_term_one()
    {
        var replicas = new[] { Replica("a"), Replica("b"), Replica("c") };

        foreach (var replica in replicas)
        {
            await replica.TickAsync(Token);
        }

        Assert.Single(replicas, r => r.IsLeader);
        Assert.Equal(1, _store.Record.Term);
        Assert.All(replicas.Where(r => !r.IsLeader), r => Assert.Throws<LeadershipLostException>(() => r.EnsureLeading("run a task")));
        Assert.Equal(["a", "b", "c"], replicas[2].View.Replicas.Select(r => r.Id));
    }

    [Fact]
    public async Task A_follower_takes_over_a_dead_leaders_lease_only_after_seeing_it_unchanged_for_a_whole_lease()
    {
        var leader = Replica("a");
        var follower = Replica("b");
        await leader.TickAsync(Token);
        await follower.TickAsync(Token);

        // The leader dies: it never ticks again. The follower keeps heartbeating every renew interval.
        var waited = TimeSpan.Zero;
        while (waited + Options.RenewInterval < Options.LeaseDuration)
        {
            _clock.Advance(Options.RenewInterval);
            waited += Options.RenewInterval;
            await follower.TickAsync(Token);
            Assert.False(follower.IsLeader, $"took over after {waited}, before a whole lease");
        }
        _clock.Advance(Options.LeaseDuration - waited);
        await follower.TickAsync(Token);

        Assert.True(follower.IsLeader);
        Assert.Equal(2, _store.Record.Term);
        Assert.Equal("b", _store.Record.Holder);
    }

    [Fact]
    public async Task A_paused_leader_cannot_write_after_its_deadline_and_its_loops_are_cancelled()
    {
        var leader = Replica("a");
        await leader.TickAsync(Token);
        var leading = leader.LeadingToken;
        Assert.Equal(1, leader.EnsureLeading("save a status"));

        // Paused (SIGSTOP) for a whole lease: no renewal happened.
        _clock.Advance(Options.LeaseDuration);

        var refused = Assert.Throws<LeadershipLostException>(() => leader.EnsureLeading("save a status"));
        Assert.Equal(1, refused.Term);
        Assert.True(leading.IsCancellationRequested);
        Assert.False(leader.IsLeader);
    }

    [Fact]
    public async Task The_leader_knows_its_lease_is_gone_before_any_follower_may_take_it()
    {
        var leader = Replica("a");
        var follower = Replica("b");
        await leader.TickAsync(Token);
        // The follower sees the lease the moment it was taken: the earliest it can start counting.
        await follower.TickAsync(Token);

        _clock.Advance(Options.LeaseDuration - Options.DriftMargin);
        Assert.Throws<LeadershipLostException>(() => leader.EnsureLeading("stop a task"));
        await follower.TickAsync(Token);
        Assert.False(follower.IsLeader);

        _clock.Advance(Options.DriftMargin);
        await follower.TickAsync(Token);
        Assert.True(follower.IsLeader);
    }

    [Fact]
    public async Task A_follower_looks_again_the_moment_the_lease_it_watches_may_have_expired()
    {
        var leader = Replica("a");
        var follower = Replica("b");
        await leader.TickAsync(Token);
        await follower.TickAsync(Token);
        Assert.Equal(Options.RenewInterval, follower.NextRoundIn());

        _clock.Advance(Options.LeaseDuration - TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(1), follower.NextRoundIn());
        Assert.Equal(Options.RenewInterval, leader.NextRoundIn());
    }

    [Fact]
    public async Task A_renewing_leader_keeps_the_lease_and_its_term()
    {
        var leader = Replica("a");
        var follower = Replica("b");
        await leader.TickAsync(Token);

        for (var i = 0; i < 10; i++)
        {
            _clock.Advance(Options.RenewInterval);
            await leader.TickAsync(Token);
            await follower.TickAsync(Token);
        }

        Assert.True(leader.IsLeader);
        Assert.False(follower.IsLeader);
        Assert.Equal(1, leader.EnsureLeading("write a link"));
        Assert.Equal("a", follower.View.Leader);
        Assert.True(follower.View.LeaseAge < Options.RenewInterval * 2);
    }

    [Fact]
    public async Task A_leader_that_stops_gracefully_releases_and_a_follower_takes_over_at_its_next_round()
    {
        var leader = Replica("a");
        var follower = Replica("b");
        await leader.TickAsync(Token);
        await follower.TickAsync(Token);
        var leading = leader.LeadingToken;

        await leader.StopAsync(Token);
        await follower.TickAsync(Token);

        Assert.True(leading.IsCancellationRequested);
        Assert.True(follower.IsLeader);
        Assert.Equal(2, _store.Record.Term);
    }

    [Fact]
    public async Task A_leader_whose_renewal_is_refused_steps_down_at_once()
    {
        var leader = Replica("a");
        var follower = Replica("b");
        var changes = new List<bool>();
        leader.LeadershipChanged += changes.Add;
        await leader.TickAsync(Token);
        await follower.TickAsync(Token);

        // The leader is paused past its lease; the follower takes over meanwhile.
        _clock.Advance(Options.LeaseDuration);
        await follower.TickAsync(Token);
        Assert.True(follower.IsLeader);

        // Resumed, it learns at once (its deadline passed) and then only follows.
        await leader.TickAsync(Token);

        Assert.False(leader.IsLeader);
        Assert.Equal([true, false], changes);
        Assert.Equal(2, _store.Record.Term);
        Assert.Equal("b", _store.Record.Holder);
    }

    public void Dispose()
    {
        foreach (var election in _elections)
        {
            election.Dispose();
        }
    }

    private LeaseElection Replica(string id)
    {
        var election = new LeaseElection(_store, new ReplicaIdentity(id, id + ":80"), Options, _clock, NullLogger<LeaseElection>.Instance);
        _elections.Add(election);
        return election;
    }
}
