using Mirage.Model.Backend;
using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;

namespace Mirage.Reconciler.Reconciling;

/// <summary>
/// The status a pass records: state, conditions (Ready, TaskRunning, RouteProgrammed, the policies'), known tasks and
/// the bounded history. Pure: the pass supplies whether the route is live and the time.
/// </summary>
internal static class EnvironmentStatusBuilder
{
    public static EnvironmentStatus Build(Pass pass, bool routed, DateTimeOffset now, int maxEvents)
    {
        var revision = pass.Intent.Revision;
        var terminating = pass.Intent.Desired == DesiredState.Terminated;
        var conditions = new List<Condition>
        {
            Condition(pass.Status, ConditionTypes.TaskRunning, pass.CurrentComplete && !terminating,
                pass.State switch
                {
                    LifecycleState.Failed => "Failed",
                    LifecycleState.Terminated => "Terminated",
                    LifecycleState.Terminating => "Stopping",
                    LifecycleState.Sleeping => "Sleeping",
                    _ when pass.CurrentComplete => "TasksRunning",
                    _ => "TasksStarting",
                },
                $"{pass.Current.Count(t => t.LastStatus == EcsTaskStatus.Running)} of {pass.Intent.TaskDefinitions.Count} tasks of revision {revision} running",
                now, revision),
            pass.State == LifecycleState.Sleeping && routed
                ? Condition(pass.Status, ConditionTypes.RouteProgrammed, true, "Sleeping", "kept while asleep: a request wakes the environment", now, revision)
                : Condition(pass.Status, ConditionTypes.RouteProgrammed, routed, routed ? "RouteLive" : "NoRoute",
                    routed ? "requests are proxied" : "no route", now, revision),
        };
        conditions.AddRange(pass.PolicyConditions.Select(c => Condition(pass.Status, c.Type, c.IsTrue, c.Reason, c.Message, now, revision)));
        var ready = pass.State == LifecycleState.Running && routed;
        conditions.Insert(0, Condition(pass.Status, ConditionTypes.Ready, ready, pass.State.ToString(),
            ready ? "environment is serving" : pass.FailureMessage ?? $"environment is {pass.State.ToString().ToLowerInvariant()}", now, revision));

        return pass.Status with
        {
            ObservedRevision = revision,
            State = pass.State,
            Conditions = conditions,
            Tasks = pass.KnownTasks,
            Events = pass.Status.Events.Concat(pass.NewEvents).TakeLast(maxEvents).ToList(),
            Restarts = pass.Restarts,
            Recoveries = pass.Recoveries,
            Slept = SleepInterval.Record(pass.Status.Slept, pass.Status.State == LifecycleState.Sleeping, pass.State == LifecycleState.Sleeping, now),
        };
    }

    /// <summary>Equal in everything stored, so an unchanged status is not written again.</summary>
    public static bool SameStatus(EnvironmentStatus a, EnvironmentStatus b) =>
        a.ObservedRevision == b.ObservedRevision && a.State == b.State && a.Restarts == b.Restarts && a.Recoveries == b.Recoveries &&
        a.Conditions.SequenceEqual(b.Conditions) && a.Tasks.SequenceEqual(b.Tasks) && a.Events.SequenceEqual(b.Events) &&
        a.Slept.SequenceEqual(b.Slept);

    private static Condition Condition(EnvironmentStatus previous, string type, bool isTrue, string reason, string message, DateTimeOffset now, long revision)
    {
        var status = isTrue ? ConditionStatus.True : ConditionStatus.False;
        var before = previous.Find(type);
        // The transition time moves only when the status flips, as Kubernetes conditions do.
        var since = before is not null && before.Status == status ? before.LastTransitionTime : now;
        return new Condition(type, status, reason, message, since, revision);
    }
}
