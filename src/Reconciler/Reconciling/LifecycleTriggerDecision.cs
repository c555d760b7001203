using Mirage.Model.Lifecycle;

namespace Mirage.Reconciler.Reconciling;

/// <summary>The trigger a pass fires, and whether the stops it saw are relaunched as a recovery rather than a restart.</summary>
internal sealed record LifecycleTriggerDecision(LifecycleTrigger Trigger, bool Recovering = false);
