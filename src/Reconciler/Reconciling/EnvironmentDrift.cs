using Mirage.Model.Backend;
using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;

namespace Mirage.Reconciler.Reconciling;

/// <summary>
/// Whether an environment's intent or its observed tasks differ from its recorded status, so the periodic resync
/// queues only those (level-triggered, without a pass per environment every interval).
/// </summary>
public static class EnvironmentDrift
{
    /// <param name="running">The cached tasks of the environment whose desired status is RUNNING.</param>
    /// <param name="routed">Whether the environment has a route now (a restarted Mirage has none yet).</param>
    public static bool NeedsPass(EnvironmentIntent intent, EnvironmentStatus? status, IReadOnlyList<ObservedTask> running, bool routed)
    {
        if (status is null || status.ObservedRevision != intent.Revision)
        {
            return true;
        }
        var live = running.Where(t => t.LastStatus != EcsTaskStatus.Stopped).ToList();
        return status.State switch
        {
            LifecycleState.Running => !routed
                || live.Any(t => t.LastStatus != EcsTaskStatus.Running)
                || !live.Select(t => t.Arn).ToHashSet(StringComparer.Ordinal).SetEquals(status.Tasks),
            LifecycleState.Terminated => live.Count > 0 || intent.Desired != DesiredState.Terminated,
            LifecycleState.Failed => false,
            // Asleep: nothing to do once the tasks are gone and the sleeping route is up (a restarted Mirage has none).
            LifecycleState.Sleeping => live.Count > 0 || !routed,
            // Pending, Launching, Relaunching, Terminating: on the way somewhere, and polled until there.
            _ => true,
        };
    }
}
