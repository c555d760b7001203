namespace Mirage.Model.Lifecycle;

/// <summary>Side effects a transition asks the reconciler to perform, in the listed order.</summary>
public enum LifecycleAction
{
    /// <summary>Start the missing tasks of the current revision (idempotent on the client token).</summary>
    RunTasks,

    /// <summary>Point the route at the RUNNING tasks of the current revision.</summary>
    PublishRoute,

    /// <summary>Stop tasks of earlier revisions (after the route moved).</summary>
    StopOldTasks,

    /// <summary>Take the route out of the table (before stopping tasks).</summary>
    RemoveRoute,

    /// <summary>Stop every task of the environment.</summary>
    StopTasks,

    /// <summary>Record the stopped task's exit code and reason and count a restart.</summary>
    RecordStop,

    /// <summary>Record why the environment failed.</summary>
    RecordFailure,

    /// <summary>Make the DNS link records point at the serving tasks.</summary>
    SyncLinks,

    /// <summary>Remove the DNS link records.</summary>
    RemoveLinks,

    /// <summary>Keep the route, marked sleeping and without destinations, so the Edge wakes the environment on a request.</summary>
    MarkRouteSleeping,

    /// <summary>Stop every task with the reason <see cref="StopReasons.Sleeping"/>, so the stop is never taken for a crash.</summary>
    StopTasksToSleep,
}
