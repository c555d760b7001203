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
}
