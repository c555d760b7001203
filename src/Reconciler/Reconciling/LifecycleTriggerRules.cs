using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;

namespace Mirage.Reconciler.Reconciling;

/// <summary>
/// Which lifecycle trigger a pass fires, from the intent, the stored status and the observed tasks. Pure, so each rule
/// is checked without a store or a backend; the machine then decides what the trigger does in the current state.
/// </summary>
internal static class LifecycleTriggerRules
{
    /// <param name="pass">What the pass observed.</param>
    /// <param name="maxRestarts">Restarts of one revision before it is given up (<c>ReconcilerOptions.MaxRestarts</c>).</param>
    /// <param name="isInfrastructureStop">
    /// Asked only when current tasks died: were they all stopped by the infrastructure within the recover budget. A
    /// function because answering may record an event (the budget ran out), which must not happen in any other case.
    /// </param>
    public static LifecycleTriggerDecision Derive(Pass pass, int maxRestarts, Func<bool> isInfrastructureStop)
    {
        var state = pass.Status.State;
        if (pass.Intent.Desired == DesiredState.Terminated)
        {
            return new(pass.Running.Count > 0 ? LifecycleTrigger.Terminate : LifecycleTrigger.TasksStopped);
        }
        if (pass.Intent.Asleep)
        {
            return new(LifecycleTrigger.Sleep);
        }
        if (state == LifecycleState.Sleeping)
        {
            // Asleep no longer wanted: a request to its host, a wake request, or a relaunch.
            return new(LifecycleTrigger.Wake);
        }
        var newRevision = pass.Status.ObservedRevision != pass.Intent.Revision;
        if (state == LifecycleState.Pending)
        {
            return new(pass.CurrentComplete ? LifecycleTrigger.TasksRunning
                : pass.Current.Count > 0 ? LifecycleTrigger.TasksPending
                : LifecycleTrigger.Launch);
        }
        if (newRevision || state is LifecycleState.Terminated or LifecycleState.Terminating)
        {
            return new(LifecycleTrigger.Revise);
        }
        if (state == LifecycleState.Failed)
        {
            return new(LifecycleTrigger.Settle);
        }
        if (pass.Died.Count > 0)
        {
            // Stopped by the infrastructure (ECS maintenance, a Mirage shutdown): relaunch without using up a restart.
            var recovering = isInfrastructureStop();
            return new(recovering || pass.Status.Restarts < maxRestarts ? LifecycleTrigger.TaskStopped : LifecycleTrigger.RetriesExhausted, recovering);
        }
        return new(pass.CurrentComplete ? LifecycleTrigger.TasksRunning : LifecycleTrigger.TasksPending);
    }
}
