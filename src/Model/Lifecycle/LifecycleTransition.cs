namespace Mirage.Model.Lifecycle;

/// <summary>One row of the transition table.</summary>
public sealed record LifecycleTransition(
    LifecycleState From,
    LifecycleTrigger Trigger,
    LifecycleState To,
    IReadOnlyList<LifecycleAction> Actions);
