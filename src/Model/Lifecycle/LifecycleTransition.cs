namespace Mirage.Model.Lifecycle;

/// <summary>One transition of <see cref="EnvironmentLifecycle"/> and the actions a pass performs for it, in order.</summary>
public sealed record LifecycleTransition(
    LifecycleState From,
    LifecycleTrigger Trigger,
    LifecycleState To,
    IReadOnlyList<LifecycleAction> Actions);
