using Stateless;
using Stateless.Graph;
using static Mirage.Model.Lifecycle.LifecycleAction;
using static Mirage.Model.Lifecycle.LifecycleState;
using static Mirage.Model.Lifecycle.LifecycleTrigger;

namespace Mirage.Model.Lifecycle;

/// <summary>
/// The environment lifecycle as a Stateless machine, built for one reconcile pass. Its state is read from and written
/// to the pass's status (external state storage), so the machine holds no copy of it. Each pass derives one trigger
/// from desired vs observed state and fires it; a trigger the current state does not handle throws
/// <see cref="InvalidOperationException"/> and fails the pass. specs/lifecycle.md embeds <see cref="ToMermaidGraph"/>.
/// </summary>
/// <remarks>
/// Stateless runs synchronous actions per state, but a pass's actions are asynchronous I/O that depend on where the
/// environment came from, so each transition carries its actions as ordered data (<see cref="LifecycleTransition"/>)
/// the reconciler performs in order; that keeps "route removed before tasks stop" checkable.
/// </remarks>
public sealed class EnvironmentLifecycle
{
    private static readonly LifecycleState[] Live = [Pending, Launching, Running, Relaunching, Failed, Sleeping];

    private readonly StateMachine<LifecycleState, LifecycleTrigger> _machine;
    private readonly Dictionary<(LifecycleState From, LifecycleTrigger Trigger), LifecycleTransition> _actions = [];
    private readonly List<LifecycleTransition> _transitions = [];

    public EnvironmentLifecycle(Func<LifecycleState> readState, Action<LifecycleState> writeState)
    {
        _machine = new StateMachine<LifecycleState, LifecycleTrigger>(readState, writeState);
        Configure();
    }

    /// <summary>A machine over a state of its own, starting Pending: for reading the configuration (graph, transitions).</summary>
    public static EnvironmentLifecycle Detached()
    {
        var state = Pending;
        return new EnvironmentLifecycle(() => state, next => state = next);
    }

    public LifecycleState State => _machine.State;

    /// <summary>Every configured transition with its actions, in the order they are configured.</summary>
    public IReadOnlyList<LifecycleTransition> Transitions => _transitions;

    public bool CanFire(LifecycleTrigger trigger) => _machine.CanFire(trigger);

    /// <summary>Fires the trigger and returns the transition taken, whose actions the pass performs in order.</summary>
    /// <exception cref="InvalidOperationException">The current state does not handle the trigger.</exception>
    public LifecycleTransition Fire(LifecycleTrigger trigger)
    {
        var from = _machine.State;
        _machine.Fire(trigger);
        return _actions[(from, trigger)];
    }

    /// <summary>The graph as a Mermaid state diagram, from Stateless's own export.</summary>
    public string ToMermaidGraph() => MermaidGraph.Format(_machine.GetInfo());

    private void Configure()
    {
        Permit(Pending, LifecycleTrigger.Launch, Launching, RunTasks);
        Permit(Pending, TasksPending, Launching, RunTasks);
        Permit(Pending, TasksRunning, Running, PublishRoute, SyncLinks, StopOldTasks);
        Permit(Pending, LaunchRejected, Failed, RecordFailure);

        Permit(Launching, TasksPending, Launching, RunTasks);
        Permit(Launching, TasksRunning, Running, PublishRoute, SyncLinks, StopOldTasks);
        Permit(Launching, TaskStopped, Launching, RecordStop, RunTasks);
        Permit(Launching, RetriesExhausted, Failed, RecordStop, RecordFailure, StopTasks, RemoveLinks);
        Permit(Launching, LaunchRejected, Failed, RecordFailure);
        Permit(Launching, Revise, Launching, RunTasks);

        Permit(Running, TasksRunning, Running, PublishRoute, SyncLinks, StopOldTasks);
        Permit(Running, TasksPending, Relaunching, PublishRoute, RunTasks);
        Permit(Running, Revise, Relaunching, PublishRoute, RunTasks);
        Permit(Running, TaskStopped, Relaunching, RecordStop, PublishRoute, RunTasks);
        Permit(Running, RetriesExhausted, Failed, RecordStop, RecordFailure, RemoveRoute, StopTasks, RemoveLinks);

        Permit(Relaunching, TasksPending, Relaunching, PublishRoute, RunTasks);
        Permit(Relaunching, TasksRunning, Running, PublishRoute, SyncLinks, StopOldTasks);
        Permit(Relaunching, Revise, Relaunching, PublishRoute, RunTasks);
        Permit(Relaunching, TaskStopped, Relaunching, RecordStop, PublishRoute, RunTasks);
        Permit(Relaunching, RetriesExhausted, Failed, RecordStop, RecordFailure, RemoveRoute, StopTasks, RemoveLinks);
        Permit(Relaunching, LaunchRejected, Failed, RecordFailure, RemoveRoute, StopTasks);

        Permit(Failed, Settle, Failed);
        Permit(Failed, Revise, Launching, RunTasks);

        // Asleep: the route stays (marked sleeping) before the tasks stop, so a request in between wakes rather than 404s.
        foreach (var state in Live)
        {
            Permit(state, Sleep, Sleeping, MarkRouteSleeping, StopTasksToSleep, RemoveLinks);
        }
        Permit(Sleeping, Wake, Launching, RunTasks);

        foreach (var state in Live)
        {
            Permit(state, Terminate, Terminating, RemoveRoute, StopTasks);
            Permit(state, TasksStopped, Terminated, RemoveRoute, RemoveLinks);
        }
        Permit(Terminating, Terminate, Terminating, RemoveRoute, StopTasks);
        Permit(Terminating, TasksStopped, Terminated, RemoveLinks);
        Permit(Terminating, Revise, Launching, RunTasks);
        Permit(Terminated, TasksStopped, Terminated);
        Permit(Terminated, Terminate, Terminating, RemoveRoute, StopTasks);
        Permit(Terminated, Revise, Launching, RunTasks);
    }

    // The one place a transition is declared: Stateless gets the edge, the pass gets its ordered actions.
    private void Permit(LifecycleState from, LifecycleTrigger trigger, LifecycleState to, params LifecycleAction[] actions)
    {
        var state = _machine.Configure(from);
        if (from == to)
        {
            state.PermitReentry(trigger);
        }
        else
        {
            state.Permit(trigger, to);
        }
        var transition = new LifecycleTransition(from, trigger, to, actions);
        _actions.Add((from, trigger), transition);
        _transitions.Add(transition);
    }
}
