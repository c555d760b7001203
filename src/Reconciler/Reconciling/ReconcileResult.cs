namespace Mirage.Reconciler.Reconciling;

/// <summary>
/// What a pass asks of the work queue, as KubeOps' <c>Success(entity, requeueAfter)</c>: look at the key again after
/// <see cref="RequeueAfter"/>, or only when something changes (null); <see cref="Reason"/> says why, for the log.
/// </summary>
public sealed record ReconcileResult(TimeSpan? RequeueAfter, string Reason)
{
    /// <summary>Nothing is due: the next change (intent, task, resync) brings the key back.</summary>
    public static ReconcileResult WaitForChange(string reason) => new(null, reason);

    public static ReconcileResult After(TimeSpan delay, string reason) => new(delay, reason);

    /// <summary>The one of the two that looks again first; a result with a delay beats one that waits for a change.</summary>
    public ReconcileResult Sooner(ReconcileResult other) =>
        other.RequeueAfter is { } theirs && (RequeueAfter is not { } mine || theirs < mine) ? other : this;
}
