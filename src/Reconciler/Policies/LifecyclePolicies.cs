using System.Collections.Concurrent;
using Mirage.Model.Backend;
using Mirage.Model.Configuration;
using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;

namespace Mirage.Reconciler.Policies;

/// <summary>
/// Evaluates an environment's lifecycle policies for a reconcile pass: gathers what <see cref="PolicyEvaluator"/>
/// needs (the keep pin from the intent or a task tag, the last request from the access counters) and says which
/// conditions to show. The pass requeues the environment for <see cref="PolicyVerdict.NextCheck"/>, so nothing polls.
/// </summary>
public sealed class LifecyclePolicies(IdleProbe idleProbe, MirageConfig config, TimeProvider time)
{
    /// <summary>A task tag that pins its environment (as the purge's <c>exclude_tags</c> do).</summary>
    public const string KeepTag = "MirageKeep";

    // The latest request found per environment: a lower bound that stays true, so the counters are read again only
    // once the idle deadline it gives has come.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastRequests = new(StringComparer.Ordinal);

    /// <summary>Null when no policy applies (none set, or the environment is going away).</summary>
    /// <param name="awakeSince">When the environment last started serving (a launch or a wake); sleep_after counts from here.</param>
    public async Task<PolicyVerdict?> EvaluateAsync(
        EnvironmentIntent intent, LifecycleState state, IReadOnlyList<ObservedTask> running, DateTimeOffset awakeSince, CancellationToken cancellationToken)
    {
        var pinnedByTag = running.Any(IsPinned);
        var sleepAfter = SleepPolicy.Effective(intent.Policy, config.Sleep);
        if (intent.Desired != DesiredState.Running || state is LifecycleState.Terminating or LifecycleState.Terminated ||
            (intent.Policy == LifecyclePolicy.Default && !pinnedByTag && sleepAfter is null))
        {
            _lastRequests.TryRemove(intent.Subdomain, out _);
            return null;
        }
        var now = time.GetUtcNow();
        var launchedAt = intent.LaunchedAt ?? intent.CreatedAt;
        // A sleeping environment still counts toward its idle window: asleep for the whole window, it is purged.
        var serving = state is LifecycleState.Running or LifecycleState.Sleeping;
        DateTimeOffset? lastRequest = null;
        if (!intent.Policy.Keep && !pinnedByTag && intent.Policy.IdleWindow is { } window && serving)
        {
            lastRequest = await LastRequestAsync(intent.Subdomain, window, now, cancellationToken);
        }
        SleepCheck? sleep = null;
        if (sleepAfter is { } after && state == LifecycleState.Running && !intent.Asleep)
        {
            sleep = new SleepCheck(after, awakeSince, await LastRequestAsync(intent.Subdomain, after, now, cancellationToken));
        }
        return PolicyEvaluator.Evaluate(intent.Policy, pinnedByTag, launchedAt, serving, lastRequest, now, sleep);
    }

    // The latest request known is a lower bound that stays true: the counters are read again only once it is older than the window.
    private async Task<DateTimeOffset?> LastRequestAsync(string subdomain, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_lastRequests.TryGetValue(subdomain, out var known) && known + window > now)
        {
            return known;
        }
        var found = await idleProbe.LastRequestAsync(subdomain, window, cancellationToken);
        if (found is { } last && (!_lastRequests.TryGetValue(subdomain, out var before) || before < last))
        {
            _lastRequests[subdomain] = last;
        }
        return found;
    }

    /// <summary>The <c>Expiring</c> and <c>Idle</c> conditions for a verdict, each saying when it fires.</summary>
    public static IReadOnlyList<PolicyCondition> Conditions(LifecyclePolicy policy, PolicyVerdict verdict, bool pinnedByIntent, SleepConfig sleepConfig)
    {
        var conditions = new List<PolicyCondition>();
        var keptBy = pinnedByIntent ? "keep is set" : $"a task has the {KeepTag} or a purge exclude tag";
        if (verdict.SleepAt is { } sleepAt && SleepPolicy.Effective(policy, sleepConfig) is { } after)
        {
            conditions.Add(new PolicyCondition(ConditionTypes.Sleep, true, "SleepAfter",
                $"sleeps at {PolicyEvaluator.Time(sleepAt)} unless a request arrives (sleep_after {GoDuration.Format(after)})"));
        }
        if (verdict.Kept)
        {
            conditions.Add(new PolicyCondition(Model.Intents.ConditionTypes.Expiring, false, "Kept", $"kept ({keptBy}): never expires or is purged"));
            return conditions;
        }
        if (policy.Ttl is { } ttl && verdict.ExpiresAt is { } expiresAt)
        {
            conditions.Add(new PolicyCondition(ConditionTypes.Expiring, true, "Ttl",
                $"expires at {PolicyEvaluator.Time(expiresAt)} (ttl {GoDuration.Format(ttl)} since the last launch)"));
        }
        if (policy.IdleWindow is { } window)
        {
            conditions.Add(verdict.IdleDeadline is { } deadline
                ? new PolicyCondition(ConditionTypes.Idle, true, "IdleWindow",
                    $"purged at {PolicyEvaluator.Time(deadline)} unless a request arrives (idle window {GoDuration.Format(window)})")
                : new PolicyCondition(ConditionTypes.Idle, false, "NotServing", $"the idle window ({GoDuration.Format(window)}) counts while the environment serves"));
        }
        return conditions;
    }

    private bool IsPinned(ObservedTask task) =>
        task.Tags.Any(t =>
            (t.Key == KeepTag && string.Equals(t.Value, "true", StringComparison.OrdinalIgnoreCase)) ||
            (config.Purge?.Request.ExcludeTags.Contains($"{t.Key}:{t.Value}") ?? false));
}
