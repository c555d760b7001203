using Mirage.Model.Lifecycle;
using Mirage.TestKit;

namespace Mirage.Reconciler.Tests.Lifecycle;

public sealed class LifecycleSpecTests
{
    [Fact]
    public void Specs_lifecycle_md_shows_exactly_the_transition_table()
    {
        var spec = File.ReadAllText(RepositoryRoot.Combine("specs", "lifecycle.md"));
        var start = spec.IndexOf("```mermaid\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "specs/lifecycle.md has no ```mermaid block");
        start += "```mermaid\n".Length;
        var end = spec.IndexOf("```", start, StringComparison.Ordinal);
        var diagram = spec[start..end];
        // After changing the table, paste the diagram this failure prints into the block.
        Assert.True(diagram == LifecycleTable.ToMermaid(), "specs/lifecycle.md is out of date; the table says:\n" + LifecycleTable.ToMermaid());
    }

    [Fact]
    public void Every_state_can_be_terminated_and_every_live_state_revised()
    {
        foreach (var state in Enum.GetValues<LifecycleState>())
        {
            Assert.True(LifecycleTable.CanFire(state, LifecycleTrigger.TasksStopped), $"{state} cannot settle as terminated");
            Assert.True(LifecycleTable.CanFire(state, LifecycleTrigger.Terminate), $"{state} cannot be terminated");
        }
        foreach (var state in new[] { LifecycleState.Running, LifecycleState.Relaunching, LifecycleState.Failed, LifecycleState.Terminated })
        {
            Assert.True(LifecycleTable.CanFire(state, LifecycleTrigger.Revise), $"{state} cannot take a new revision");
        }
    }

    [Fact]
    public void An_unhandled_trigger_is_an_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LifecycleTable.Fire(LifecycleState.Terminated, LifecycleTrigger.TasksRunning));
        Assert.Contains("Terminated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Routes_are_removed_before_tasks_are_stopped_and_published_before_old_tasks_stop()
    {
        foreach (var transition in LifecycleTable.Transitions)
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
}
