namespace Mirage.Model.Lifecycle;

/// <summary>What a reconcile pass observed, reduced to one trigger for <see cref="EnvironmentLifecycle"/>.</summary>
public enum LifecycleTrigger
{
    /// <summary>A running intent whose tasks were never launched.</summary>
    Launch,

    /// <summary>A new revision of an intent that already had tasks (or had failed or terminated).</summary>
    Revise,

    /// <summary>Tasks of the current revision are launched but not all RUNNING yet.</summary>
    TasksPending,

    /// <summary>Every task of the current revision is RUNNING.</summary>
    TasksRunning,

    /// <summary>A task of the current revision stopped on its own; retries remain.</summary>
    TaskStopped,

    /// <summary>A task of the current revision stopped on its own and no retries remain.</summary>
    RetriesExhausted,

    /// <summary>The backend refused the launch for good (e.g. unknown task definition).</summary>
    LaunchRejected,

    /// <summary>The intent wants the environment gone and tasks still run.</summary>
    Terminate,

    /// <summary>The intent wants the environment gone and no task runs any more.</summary>
    TasksStopped,

    /// <summary>Nothing changed for a failed revision.</summary>
    Settle,

    /// <summary>The intent wants the environment asleep (sleep_after passed, or someone asked).</summary>
    Sleep,

    /// <summary>A sleeping environment is wanted awake again (a request to its host, /wake, a relaunch).</summary>
    Wake,
}
