using System.Collections.Frozen;
using System.Text;
using static Mirage.Model.Lifecycle.LifecycleAction;
using static Mirage.Model.Lifecycle.LifecycleState;
using static Mirage.Model.Lifecycle.LifecycleTrigger;

namespace Mirage.Model.Lifecycle;

/// <summary>
/// The environment lifecycle as an explicit transition table (Stateless is not available here). Each reconcile pass
/// derives one trigger from desired vs observed state and fires it once; a trigger the current state does not handle
/// is a bug and throws, as Stateless does. specs/lifecycle.md is generated from <see cref="Transitions"/>.
/// </summary>
public static class LifecycleTable
{
    private static readonly LifecycleState[] Live = [Pending, Launching, Running, Relaunching, Failed];

    public static IReadOnlyList<LifecycleTransition> Transitions { get; } = Build();

    private static readonly FrozenDictionary<(LifecycleState, LifecycleTrigger), LifecycleTransition> ByKey =
        Transitions.ToFrozenDictionary(t => (t.From, t.Trigger));

    /// <exception cref="InvalidOperationException">The state does not handle the trigger.</exception>
    public static LifecycleTransition Fire(LifecycleState state, LifecycleTrigger trigger) =>
        ByKey.TryGetValue((state, trigger), out var transition)
            ? transition
            : throw new InvalidOperationException($"No valid leaving transitions are permitted from state '{state}' for trigger '{trigger}'.");

    public static bool CanFire(LifecycleState state, LifecycleTrigger trigger) => ByKey.ContainsKey((state, trigger));

    private static List<LifecycleTransition> Build()
    {
        List<LifecycleTransition> rows = [];
        void Add(LifecycleState from, LifecycleTrigger trigger, LifecycleState to, params LifecycleAction[] actions) =>
            rows.Add(new LifecycleTransition(from, trigger, to, actions));

        Add(Pending, LifecycleTrigger.Launch, Launching, RunTasks);
        Add(Pending, TasksPending, Launching, RunTasks);
        Add(Pending, TasksRunning, Running, PublishRoute, SyncLinks, StopOldTasks);
        Add(Pending, LaunchRejected, Failed, RecordFailure);

        Add(Launching, TasksPending, Launching, RunTasks);
        Add(Launching, TasksRunning, Running, PublishRoute, SyncLinks, StopOldTasks);
        Add(Launching, TaskStopped, Launching, RecordStop, RunTasks);
        Add(Launching, RetriesExhausted, Failed, RecordStop, RecordFailure, StopTasks, RemoveLinks);
        Add(Launching, LaunchRejected, Failed, RecordFailure);
        Add(Launching, Revise, Launching, RunTasks);

        Add(Running, TasksRunning, Running, PublishRoute, SyncLinks, StopOldTasks);
        Add(Running, TasksPending, Relaunching, PublishRoute, RunTasks);
        Add(Running, Revise, Relaunching, PublishRoute, RunTasks);
        Add(Running, TaskStopped, Relaunching, RecordStop, PublishRoute, RunTasks);
        Add(Running, RetriesExhausted, Failed, RecordStop, RecordFailure, RemoveRoute, StopTasks, RemoveLinks);

        Add(Relaunching, TasksPending, Relaunching, PublishRoute, RunTasks);
        Add(Relaunching, TasksRunning, Running, PublishRoute, SyncLinks, StopOldTasks);
        Add(Relaunching, Revise, Relaunching, PublishRoute, RunTasks);
        Add(Relaunching, TaskStopped, Relaunching, RecordStop, PublishRoute, RunTasks);
        Add(Relaunching, RetriesExhausted, Failed, RecordStop, RecordFailure, RemoveRoute, StopTasks, RemoveLinks);
        Add(Relaunching, LaunchRejected, Failed, RecordFailure, RemoveRoute, StopTasks);

        Add(Failed, Settle, Failed);
        Add(Failed, Revise, Launching, RunTasks);

        foreach (var state in Live)
        {
            Add(state, Terminate, Terminating, RemoveRoute, StopTasks);
            Add(state, TasksStopped, Terminated, RemoveRoute, RemoveLinks);
        }
        Add(Terminating, Terminate, Terminating, RemoveRoute, StopTasks);
        Add(Terminating, TasksStopped, Terminated, RemoveLinks);
        Add(Terminating, Revise, Launching, RunTasks);
        Add(Terminated, TasksStopped, Terminated);
        Add(Terminated, Terminate, Terminating, RemoveRoute, StopTasks);
        Add(Terminated, Revise, Launching, RunTasks);
        return rows;
    }

    /// <summary>The table as a Mermaid state diagram (specs/lifecycle.md embeds exactly this).</summary>
    public static string ToMermaid()
    {
        var text = new StringBuilder();
        text.Append("stateDiagram-v2\n");
        text.Append("    [*] --> Pending\n");
        foreach (var t in Transitions)
        {
            var actions = t.Actions.Count == 0 ? "" : " / " + string.Join(", ", t.Actions);
            text.Append($"    {t.From} --> {t.To} : {t.Trigger}{actions}\n");
        }
        text.Append("    Terminated --> [*]\n");
        return text.ToString();
    }
}
