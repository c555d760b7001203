namespace Mirage.Model.Lifecycle;

/// <summary>Where an environment is on its way to the intent; see specs/lifecycle.md.</summary>
public enum LifecycleState
{
    Pending,
    Launching,
    Running,
    Relaunching,
    Terminating,
    Terminated,
    Failed,

    /// <summary>Tasks stopped on purpose, intent and route kept: the first request to its host wakes it.</summary>
    Sleeping,
}
