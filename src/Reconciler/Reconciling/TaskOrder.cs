using Mirage.Model.Backend;

namespace Mirage.Reconciler.Reconciling;

/// <summary>
/// Which of two reports of the same task is newer: ECS's <c>version</c> when both carry one, else the status order (a
/// task's desired status only ever turns STOPPED, and its last status only moves forward). Reports arrive from
/// listings, describes, Mirage's own calls and the events queue, in any order; this keeps the newest.
/// </summary>
public static class TaskOrder
{
    /// <summary>Positive when <paramref name="a"/> is newer than <paramref name="b"/>, 0 when neither is.</summary>
    public static int Compare(ObservedTask a, ObservedTask b)
    {
        if (a.Version is { } va && b.Version is { } vb && va != vb)
        {
            return va.CompareTo(vb);
        }
        var desired = IsStopDesired(a).CompareTo(IsStopDesired(b));
        return desired != 0 ? desired : Rank(a.LastStatus).CompareTo(Rank(b.LastStatus));
    }

    public static bool IsNotOlder(ObservedTask a, ObservedTask b) => Compare(a, b) >= 0;

    /// <summary>
    /// Whether <paramref name="report"/> tells something <paramref name="cached"/> did not: it is newer, or neither
    /// carries a version (LocalEcs) and it is as new. A repeated event (same version) is not news.
    /// </summary>
    public static bool IsNews(ObservedTask report, ObservedTask cached)
    {
        var order = Compare(report, cached);
        return order > 0 || (order == 0 && (report.Version is null || cached.Version is null) && report != cached);
    }

    private static bool IsStopDesired(ObservedTask task) => task.DesiredStatus == EcsTaskStatus.Stopped;

    private static int Rank(string lastStatus) => lastStatus switch
    {
        EcsTaskStatus.Provisioning => 0,
        EcsTaskStatus.Pending => 1,
        EcsTaskStatus.Activating => 2,
        EcsTaskStatus.Running => 3,
        EcsTaskStatus.Deactivating => 4,
        EcsTaskStatus.Stopping => 5,
        EcsTaskStatus.Deprovisioning => 6,
        EcsTaskStatus.Stopped => 7,
        _ => 0,
    };
}
