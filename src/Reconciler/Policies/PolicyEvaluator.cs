using Mirage.Model.Configuration;
using Mirage.Model.Intents;

namespace Mirage.Reconciler.Policies;

/// <summary>
/// The lifecycle policies as a pure function of the policy, the launch time, whether the environment serves, what is
/// known of its last request, and the time. <c>keep</c> (from the intent or a tag) wins over everything; the ttl
/// counts from the last launch; the idle window counts from the later of the launch and the last request, and only
/// while the environment serves (asleep counts as serving: a sleeping environment is still purged when idle). sleep_after
/// counts the same way from the later of the last launch or wake and the last request, while awake; keep does not stop
/// it, and a policy that ends the environment wins over it.
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>The access counters count in one-minute buckets: a request seen in the window is rechecked no sooner.</summary>
    public static TimeSpan Granularity { get; } = TimeSpan.FromMinutes(1);

    /// <param name="lastRequestAt">
    /// Null when no request was counted in the whole idle window; otherwise the earliest the latest request can have
    /// been (a request was seen in the window, so the environment is not idle now).
    /// </param>
    public static PolicyVerdict Evaluate(
        LifecyclePolicy policy, bool pinnedByTag, DateTimeOffset launchedAt, bool serving, DateTimeOffset? lastRequestAt, DateTimeOffset now,
        SleepCheck? sleep = null)
    {
        var sleepAt = sleep is null ? (DateTimeOffset?)null
            : sleep.LastRequestAt is { } lastSeen
                ? Max(Max(sleep.AwakeSince, lastSeen) + sleep.After, now + Granularity)
                : sleep.AwakeSince + sleep.After;
        var sleepFiring = sleepAt <= now
            ? new PolicyFiring(CauseReasons.Slept, $"Asleep: no request for {GoDuration.Format(sleep!.After)} (sleep_after)")
            : null;
        if (policy.Keep || pinnedByTag)
        {
            return new PolicyVerdict(sleepFiring, null, null, Kept: true, sleepAt);
        }
        var expiresAt = policy.Ttl is { } ttl ? launchedAt + ttl : (DateTimeOffset?)null;
        DateTimeOffset? idleDeadline = null;
        if (policy.IdleWindow is { } window && serving)
        {
            idleDeadline = lastRequestAt is { } last
                ? Max(Max(launchedAt, last) + window, now + Granularity)
                : launchedAt + window;
        }

        PolicyFiring? fired = null;
        if (expiresAt <= now)
        {
            fired = new PolicyFiring(CauseReasons.Expired, $"Expired: ttl {GoDuration.Format(policy.Ttl!.Value)} since the launch at {Time(launchedAt)} passed");
        }
        else if (idleDeadline <= now)
        {
            fired = new PolicyFiring(CauseReasons.IdlePurged, $"Purged: no request for {GoDuration.Format(policy.IdleWindow!.Value)}");
        }
        return new PolicyVerdict(fired ?? sleepFiring, expiresAt, idleDeadline, Kept: false, sleepAt);
    }

    /// <summary>RFC 3339 in UTC, to the second, as status messages show times.</summary>
    public static string Time(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
