using System.Text;
using Mirage.Model.Lifecycle;
using Mirage.TestKit;

namespace Mirage.Reconciler.Tests.Lifecycle;

public sealed class LifecycleSpecTests
{
    private static readonly EnvironmentLifecycle Lifecycle = EnvironmentLifecycle.Detached();

    [Fact]
    public void Specs_lifecycle_md_embeds_exactly_the_Stateless_graph_export()
    {
        var diagram = Block(ReadSpec(), "```mermaid\n", "```");
        // Stateless ends the export without a newline; the closing fence needs its own line.
        var export = Lifecycle.ToMermaidGraph() + "\n";
        // After changing the machine, paste the diagram this failure prints into the block (its lines start with a tab).
        Assert.True(diagram == export, "specs/lifecycle.md is out of date; Stateless exports:\n" + export);
    }

    [Fact]
    public void Specs_lifecycle_md_lists_exactly_the_actions_of_every_transition()
    {
        var table = Block(ReadSpec(), "<!-- actions:begin -->\n", "<!-- actions:end -->");
        var expected = ActionsTable();
        // After changing the machine, paste the table this failure prints between the markers.
        Assert.True(table == expected, "specs/lifecycle.md is out of date; the transitions' actions are:\n" + expected);
    }

    [Fact]
    public void Every_transition_takes_Stateless_to_the_state_it_names()
    {
        foreach (var row in Lifecycle.Transitions)
        {
            var stored = row.From;
            var lifecycle = new EnvironmentLifecycle(() => stored, next => stored = next);
            var taken = lifecycle.Fire(row.Trigger);
            Assert.Equal((row.From, row.Trigger, row.To), (taken.From, taken.Trigger, taken.To));
            Assert.Equal(row.Actions, taken.Actions);
            Assert.Equal(row.To, stored);
        }
    }

    [Fact]
    public void Every_state_can_be_terminated_and_every_live_state_revised()
    {
        foreach (var state in Enum.GetValues<LifecycleState>())
        {
            var lifecycle = At(state);
            Assert.True(lifecycle.CanFire(LifecycleTrigger.TasksStopped), $"{state} cannot settle as terminated");
            Assert.True(lifecycle.CanFire(LifecycleTrigger.Terminate), $"{state} cannot be terminated");
        }
        foreach (var state in new[] { LifecycleState.Running, LifecycleState.Relaunching, LifecycleState.Failed, LifecycleState.Terminated })
        {
            Assert.True(At(state).CanFire(LifecycleTrigger.Revise), $"{state} cannot take a new revision");
        }
    }

    [Fact]
    public void An_unhandled_trigger_is_an_error_and_leaves_the_state_as_it_was()
    {
        var stored = LifecycleState.Terminated;
        var lifecycle = new EnvironmentLifecycle(() => stored, next => stored = next);
        var error = Assert.Throws<InvalidOperationException>(() => lifecycle.Fire(LifecycleTrigger.TasksRunning));
        Assert.Contains("Terminated", error.Message, StringComparison.Ordinal);
        Assert.Equal(LifecycleState.Terminated, stored);
    }

    [Fact]
    public void Routes_are_removed_before_tasks_are_stopped_and_published_before_old_tasks_stop()
    {
        foreach (var transition in Lifecycle.Transitions)
        {
            var actions = transition.Actions.ToList();
            if (actions.Contains(LifecycleAction.StopTasks) && actions.Contains(LifecycleAction.RemoveRoute))
            {
                Assert.True(actions.IndexOf(LifecycleAction.RemoveRoute) < actions.IndexOf(LifecycleAction.StopTasks), transition.ToString());
            }
            if (actions.Contains(LifecycleAction.StopOldTasks))
            {
                Assert.True(actions.IndexOf(LifecycleAction.PublishRoute) >= 0 && actions.IndexOf(LifecycleAction.PublishRoute) < actions.IndexOf(LifecycleAction.StopOldTasks), transition.ToString());
            }
        }
    }

    [Fact]
    public void Every_awake_state_can_sleep_and_sleep_keeps_the_route_marked_before_the_tasks_stop_with_the_sleep_reason()
    {
        foreach (var transition in Lifecycle.Transitions.Where(t => t.Trigger == LifecycleTrigger.Sleep))
        {
            var actions = transition.Actions.ToList();
            Assert.Equal(LifecycleState.Sleeping, transition.To);
            Assert.DoesNotContain(LifecycleAction.RemoveRoute, actions);
            Assert.DoesNotContain(LifecycleAction.StopTasks, actions);
            Assert.True(actions.IndexOf(LifecycleAction.MarkRouteSleeping) == 0 && actions.Contains(LifecycleAction.StopTasksToSleep), transition.ToString());
        }
        foreach (var state in new[] { LifecycleState.Pending, LifecycleState.Launching, LifecycleState.Running, LifecycleState.Relaunching, LifecycleState.Sleeping })
        {
            Assert.True(At(state).CanFire(LifecycleTrigger.Sleep), $"{state} cannot go to sleep");
        }
        Assert.False(At(LifecycleState.Terminated).CanFire(LifecycleTrigger.Sleep), "a terminated environment must not sleep");
    }

    [Fact]
    public void A_wake_runs_the_tasks_and_leaves_the_sleeping_route_until_they_run()
    {
        var wake = Assert.Single(Lifecycle.Transitions, t => t.Trigger == LifecycleTrigger.Wake);
        Assert.Equal((LifecycleState.Sleeping, LifecycleState.Launching), (wake.From, wake.To));
        Assert.Equal([LifecycleAction.RunTasks], wake.Actions);
        // The route becomes the tasks' only once they all run (Launching --TasksRunning--> Running publishes it).
        var ready = Assert.Single(Lifecycle.Transitions, t => t.From == LifecycleState.Launching && t.Trigger == LifecycleTrigger.TasksRunning);
        Assert.Equal(LifecycleAction.PublishRoute, ready.Actions[0]);
        Assert.False(At(LifecycleState.Running).CanFire(LifecycleTrigger.Wake), "only a sleeping environment wakes");
    }

    private static EnvironmentLifecycle At(LifecycleState state) => new(() => state, next => state = next);

    private static string ReadSpec() => File.ReadAllText(RepositoryRoot.Combine("specs", "lifecycle.md"));

    private static string Block(string spec, string opening, string closing)
    {
        var start = spec.IndexOf(opening, StringComparison.Ordinal);
        Assert.True(start >= 0, $"specs/lifecycle.md has no {opening.Trim()}");
        start += opening.Length;
        var end = spec.IndexOf(closing, start, StringComparison.Ordinal);
        Assert.True(end >= 0, $"specs/lifecycle.md does not close {opening.Trim()} with {closing}");
        return spec[start..end];
    }

    // The actions are data on each transition, not part of Stateless's graph, so the spec lists them beside it.
    private static string ActionsTable()
    {
        var text = new StringBuilder();
        text.Append("| from | trigger | to | actions, in order |\n");
        text.Append("|---|---|---|---|\n");
        foreach (var t in Lifecycle.Transitions)
        {
            text.Append($"| {t.From} | {t.Trigger} | {t.To} | {string.Join(", ", t.Actions)} |\n");
        }
        return text.ToString();
    }
}
