namespace Mirage.Reconciler.Leadership;

/// <summary>The lease's timing (<c>cluster.lease_duration</c>, <c>cluster.renew_interval</c>), checked by the config loader.</summary>
public sealed record LeaseOptions(TimeSpan LeaseDuration, TimeSpan RenewInterval)
{
    /// <summary>
    /// The leader counts its lease as gone this much before a follower could count it expired: room for the two
    /// monotonic clocks to run at slightly different rates (real drift is parts per million).
    /// </summary>
    public TimeSpan DriftMargin => LeaseDuration / 20;
}
