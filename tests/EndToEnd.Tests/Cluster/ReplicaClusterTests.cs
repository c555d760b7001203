using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Cluster;

/// <summary>
/// Issue 15 against moto: three <c>mirage</c> processes on loopback ports sharing one intent bucket and one lease.
/// Routes point at moto's made-up task addresses, which are never contacted: a replica's routes are read from its
/// <c>/api/cluster</c>.
/// </summary>
public sealed class ReplicaClusterTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Exactly_one_of_three_leads_and_a_launch_sent_to_any_replica_is_routed_by_all_three_within_2_s()
    {
        await using var cluster = await ClusterScenario.StartAsync(3, Token);
        var (leader, term) = await ClusterScenario.OneLeaderAsync(cluster.Replicas, Generous, Token);
        // Each replica lists all three once it has read the lease after the last one's first heartbeat.
        var states = await Eventually.ReadAsync(
            async () => await Task.WhenAll(cluster.Replicas.Select(r => ClusterScenario.StateAsync(r, Token))),
            s => s.All(x => x.Replicas.Order().SequenceEqual(["replica-1", "replica-2", "replica-3"])),
            Generous, s => "replicas listed: " + string.Join("; ", s.Select(x => $"{x.Self}: {string.Join(",", x.Replicas)}")), Token);
        Assert.Single(states, s => s.IsLeader);

        var spreads = new List<TimeSpan>();
        var followerLaunches = new List<TimeSpan>();
        var leaderLaunch = TimeSpan.Zero;
        for (var i = 0; i < cluster.Replicas.Count; i++)
        {
            var subdomain = $"feature-{i}";
            var sinceLaunch = Stopwatch.StartNew();
            await LaunchAsync(cluster.Replicas[i], subdomain);
            // From the moment the leader routes it, every replica must within 2 s.
            await Eventually.HoldsAsync(async () => (await ClusterScenario.StateAsync(leader, Token)).Routed.Contains(subdomain), Generous,
                () => leader.Explain($"the leader did not route {subdomain}"), Token, TimeSpan.FromMilliseconds(50));
            if (cluster.Replicas[i] != leader)
            {
                followerLaunches.Add(sinceLaunch.Elapsed);
            }
            else
            {
                leaderLaunch = sinceLaunch.Elapsed;
            }
            var since = Stopwatch.StartNew();
            await Eventually.HoldsAsync(
                async () => (await Task.WhenAll(cluster.Replicas.Select(r => ClusterScenario.StateAsync(r, Token)))).All(s => s.Routed.Contains(subdomain)),
                TimeSpan.FromSeconds(10), () => $"not every replica routes {subdomain}", Token, TimeSpan.FromMilliseconds(50));
            spreads.Add(since.Elapsed);
        }

        Assert.All(spreads, spread => Assert.True(spread <= TimeSpan.FromSeconds(2), $"a route reached every replica only after {spread.TotalSeconds:0.00} s"));
        TestContext.Current.TestOutputHelper?.WriteLine($"route spread to all replicas: {string.Join(", ", spreads.Select(s => $"{s.TotalMilliseconds:0} ms"))}");
        // A launch sent to a follower nudges the leader (nudge_poll_interval 500ms), well before its 10 s refresh.
        TestContext.Current.TestOutputHelper?.WriteLine($"follower launch to leader route: {string.Join(", ", followerLaunches.Select(s => $"{s.TotalMilliseconds:0} ms"))} (sent to the leader: {leaderLaunch.TotalMilliseconds:0} ms)");
        Assert.All(followerLaunches, took => Assert.True(took <= TimeSpan.FromSeconds(4), $"a launch sent to a follower was routed by the leader only after {took.TotalSeconds:0.00} s"));
        var followers = await Task.WhenAll(cluster.Replicas.Where(r => r != leader).Select(r => ClusterScenario.StateAsync(r, Token)));
        Assert.All(followers, f => Assert.Equal("shared", f.Origin));
        // A follower's /api/list shows the tasks too (it lists ECS when asked; it runs no resync of its own).
        foreach (var follower in cluster.Replicas.Where(r => r != leader))
        {
            await Eventually.HoldsAsync(async () =>
                {
                    var rows = (await follower.GetJsonAsync("/api/list", Token)).GetProperty("result").EnumerateArray()
                        .Where(r => r.GetProperty("last_status").GetString() == "RUNNING").Select(r => r.GetProperty("subdomain").GetString()).ToList();
                    return Enumerable.Range(0, cluster.Replicas.Count).All(i => rows.Contains($"feature-{i}"));
                }, Generous, () => follower.Explain("the follower's /api/list lacks a launched task"), Token);
        }
        Assert.Equal(term, (await ClusterScenario.StateAsync(leader, Token)).Term);
    }

    [Fact]
    public async Task A_leader_killed_during_20_launches_is_replaced_within_the_lease_and_every_accepted_launch_has_exactly_one_task()
    {
        await using var cluster = await ClusterScenario.StartAsync(3, Token);
        var (leader, term) = await ClusterScenario.OneLeaderAsync(cluster.Replicas, Generous, Token);
        var survivors = cluster.Replicas.Where(r => r != leader).ToList();
        // Something routed before the kill, to check no route is lost on the survivors.
        await LaunchAsync(survivors[0], "before-kill");
        await Eventually.HoldsAsync(
            async () => (await Task.WhenAll(survivors.Select(r => ClusterScenario.StateAsync(r, Token)))).All(s => s.Routed.Contains("before-kill")),
            Generous, () => "the survivors never routed before-kill", Token);

        // Ten launches, the leader killed, ten more at once to the replicas still up.
        var accepted = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            if (await TryLaunchAsync(cluster.Replicas[i % cluster.Replicas.Count], $"launch-{i:00}"))
            {
                accepted.Add($"launch-{i:00}");
            }
        }
        var routedBefore = (await Task.WhenAll(survivors.Select(r => ClusterScenario.StateAsync(r, Token)))).Select(s => s.Routed.ToHashSet()).ToList();
        await leader.KillAsync(Token);
        var sinceKill = Stopwatch.StartNew();
        // Watched from the kill on, while the next launches go to the survivors.
        var handoverWatch = Task.Run(async () =>
        {
            var elected = await ClusterScenario.OneLeaderAsync(survivors, Generous, Token);
            return (elected.Leader, elected.Term, After: sinceKill.Elapsed);
        }, Token);
        var late = await Task.WhenAll(Enumerable.Range(10, 10)
            .Select(async i => (Subdomain: $"launch-{i:00}", Ok: await TryLaunchAsync(survivors[i % survivors.Count], $"launch-{i:00}"))));
        accepted.AddRange(late.Where(l => l.Ok).Select(l => l.Subdomain));
        var (newLeader, newTerm, handover) = await handoverWatch;
        Assert.True(newTerm > term, $"the new leader's term {newTerm} is not above {term}");
        Assert.True(handover <= ClusterScenario.LeaseDuration + TimeSpan.FromSeconds(2),
            $"a new leader only {handover.TotalSeconds:0.0} s after the kill (lease {ClusterScenario.LeaseDuration.TotalSeconds} s)");
        TestContext.Current.TestOutputHelper?.WriteLine($"new leader {handover.TotalMilliseconds:0} ms after SIGKILL");

        // Every accepted launch ends routed on both survivors with exactly one task; no route they served disappears.
        await Eventually.HoldsAsync(
            async () =>
            {
                var states = await Task.WhenAll(survivors.Select(r => ClusterScenario.StateAsync(r, Token)));
                for (var i = 0; i < states.Length; i++)
                {
                    Assert.True(routedBefore[i].IsSubsetOf(states[i].Routed), $"{states[i].Self} lost a route: had [{string.Join(",", routedBefore[i])}], now {states[i]}");
                }
                return states.All(s => accepted.All(a => s.Routed.Contains(a)));
            },
            Generous, () => newLeader.Explain("not every accepted launch is routed on both survivors"), Token);
        var tasks = await cluster.Api.LiveTasksBySubdomainAsync(Token);
        Assert.All(accepted.Append("before-kill"), subdomain => Assert.True(tasks[subdomain].Count() == 1,
            $"{subdomain} has {tasks[subdomain].Count()} tasks: {string.Join(", ", tasks[subdomain])}"));
        Assert.Equal(20, accepted.Count);
    }

    [Fact]
    public async Task A_new_leader_catches_up_on_intents_written_just_before_the_handover_and_keeps_their_routes()
    {
        await using var cluster = await ClusterScenario.StartAsync(2, Token);
        var (leader, _) = await ClusterScenario.OneLeaderAsync(cluster.Replicas, Generous, Token);
        var follower = cluster.Replicas.Single(r => r != leader);
        // Written on the leader: the follower's intent cache learns of it only at its next 10 s refresh.
        await LaunchAsync(leader, "just-before");
        await Eventually.HoldsAsync(async () => (await ClusterScenario.StateAsync(follower, Token)).Routed.Contains("just-before"), Generous,
            () => follower.Explain("the follower never routed just-before"), Token, TimeSpan.FromMilliseconds(50));

        await leader.KillAsync(Token);
        // From the kill until the follower has led for a few seconds, it never drops the route.
        var ledSince = (Stopwatch?)null;
        var sinceKill = Stopwatch.StartNew();
        while (ledSince is null || ledSince.Elapsed < TimeSpan.FromSeconds(5))
        {
            Assert.True(sinceKill.Elapsed < Generous, follower.Explain("the follower never took over"));
            var state = await ClusterScenario.StateAsync(follower, Token);
            Assert.True(state.Routed.Contains("just-before"), follower.Explain($"the new leader dropped just-before: {state}"));
            if (state.IsLeader)
            {
                ledSince ??= Stopwatch.StartNew();
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, Token);
        }

        Assert.Single((await cluster.Api.LiveTasksBySubdomainAsync(Token))["just-before"]);
        // Had it taken the environment for unwanted, it would have adopted the task back ("adopted … tasks that had no intent").
        Assert.DoesNotContain("that had no intent", follower.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_leader_paused_past_its_lease_does_not_write_when_resumed_and_steps_down()
    {
        await using var cluster = await ClusterScenario.StartAsync(3, Token);
        var (leader, term) = await ClusterScenario.OneLeaderAsync(cluster.Replicas, Generous, Token);
        var others = cluster.Replicas.Where(r => r != leader).ToList();
        // A launch the paused leader has accepted, and perhaps started to reconcile, when it is paused.
        await LaunchAsync(leader, "before-pause");
        ProcessSignals.Pause(leader.ProcessId);
        var (newLeader, newTerm) = await ClusterScenario.OneLeaderAsync(others, Generous, Token);
        Assert.True(newTerm > term);
        await LaunchAsync(others[0], "during-pause");
        var outputAtResume = leader.Output.Length;

        ProcessSignals.Resume(leader.ProcessId);

        await Eventually.HoldsAsync(async () =>
            {
                var state = await ClusterScenario.StateAsync(leader, Token);
                return !state.IsLeader && state.Leader == (await ClusterScenario.StateAsync(newLeader, Token)).Self;
            }, Generous, () => leader.Explain("the resumed leader did not step down"), Token);
        await leader.WaitForOutputAsync($"stepped down from term {term}", Generous, Token);
        // Both launches end up with one task each, both routed everywhere, by the new leader alone.
        await Eventually.HoldsAsync(
            async () => (await Task.WhenAll(cluster.Replicas.Select(r => ClusterScenario.StateAsync(r, Token))))
                .All(s => s.Routed.Contains("before-pause") && s.Routed.Contains("during-pause")),
            Generous, () => newLeader.Explain("the launches were not routed everywhere"), Token);
        var afterResume = leader.Output[outputAtResume..];
        Assert.DoesNotContain(": launched task", afterResume, StringComparison.Ordinal);
        // What the replicas serve and what the statuses say was last written by the new term.
        using var shared = JsonDocument.Parse(await cluster.Api.ReadObjectAsync("intents/cluster/routes.json", Token));
        Assert.Equal(newTerm, shared.RootElement.GetProperty("term").GetInt64());
        foreach (var status in await cluster.Api.ReadObjectsAsync("intents/", ".status.json", Token))
        {
            using var document = JsonDocument.Parse(status);
            Assert.True(document.RootElement.GetProperty("term").GetInt64() <= newTerm, status);
        }
        var tasks = await cluster.Api.LiveTasksBySubdomainAsync(Token);
        Assert.Single(tasks["before-pause"]);
        Assert.Single(tasks["during-pause"]);
        Assert.Equal(newTerm, (await ClusterScenario.StateAsync(leader, Token)).Term);
    }

    [Fact]
    public async Task With_the_lease_store_unreachable_the_leader_stops_reconciling_and_every_replica_keeps_its_routes()
    {
        await using var cluster = await ClusterScenario.StartAsync(3, Token);
        var (leader, term) = await ClusterScenario.OneLeaderAsync(cluster.Replicas, Generous, Token);
        await LaunchAsync(leader, "served");
        await Eventually.HoldsAsync(
            async () => (await Task.WhenAll(cluster.Replicas.Select(r => ClusterScenario.StateAsync(r, Token)))).All(s => s.Routed.Contains("served")),
            Generous, () => "served was not routed everywhere", Token);

        await cluster.LeaseStore.CutAsync();

        await Eventually.HoldsAsync(
            async () => (await Task.WhenAll(cluster.Replicas.Select(r => ClusterScenario.StateAsync(r, Token)))).All(s => !s.IsLeader),
            Generous, () => leader.Explain("the leader kept leading without its lease store"), Token);
        await leader.WaitForOutputAsync($"stepped down from term {term}", Generous, Token);
        // A launch accepted now is recorded but nobody may reconcile it: wait for three more failed lease rounds.
        await LaunchAsync(cluster.Replicas[1], "while-cut");
        var failedRounds = Occurrences(leader.Output, "Lease store unreachable");
        await Eventually.HoldsAsync(() => Task.FromResult(Occurrences(leader.Output, "Lease store unreachable") >= failedRounds + 3),
            Generous, () => leader.Explain("no more failed lease rounds"), Token);

        var states = await Task.WhenAll(cluster.Replicas.Select(r => ClusterScenario.StateAsync(r, Token)));
        Assert.All(states, s => Assert.Contains("served", s.Routed));
        Assert.All(states, s => Assert.DoesNotContain("while-cut", s.Routed));
        Assert.Empty((await cluster.Api.LiveTasksBySubdomainAsync(Token))["while-cut"]);

        // Back: a leader again, and the launch made meanwhile is carried out.
        cluster.LeaseStore.Restore();
        await ClusterScenario.OneLeaderAsync(cluster.Replicas, Generous, Token);
        await Eventually.HoldsAsync(
            async () => (await Task.WhenAll(cluster.Replicas.Select(r => ClusterScenario.StateAsync(r, Token)))).All(s => s.Routed.Contains("while-cut") && s.Routed.Contains("served")),
            Generous, () => "while-cut was not routed once the lease store came back", Token);
    }

    private static async Task LaunchAsync(MirageProcess replica, string subdomain)
    {
        using var answer = await replica.PostApiAsync("/api/launch", new { subdomain, branch = "main", taskdef = new[] { MotoApi.TaskDefinition } }, Token);
        var body = await answer.Content.ReadAsStringAsync(Token);
        Assert.True(answer.StatusCode == HttpStatusCode.OK, replica.Explain($"launch {subdomain}: {(int)answer.StatusCode} {body}"));
    }

    private static async Task<bool> TryLaunchAsync(MirageProcess replica, string subdomain)
    {
        using var answer = await replica.PostApiAsync("/api/launch", new { subdomain, branch = "main", taskdef = new[] { MotoApi.TaskDefinition } }, Token);
        return answer.StatusCode == HttpStatusCode.OK;
    }

    private static int Occurrences(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
