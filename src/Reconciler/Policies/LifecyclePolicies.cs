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
    public async Task<PolicyVerdict?> EvaluateAsync(
        EnvironmentIntent intent, LifecycleState state, IReadOnlyList<ObservedTask> running, CancellationToken cancellationToken)
    {
        var pinnedByTag = running.Any(IsPinned);
        if (intent.Desired != DesiredState.Running || state is LifecycleState.Terminating or LifecycleState.Terminated ||
            (intent.Policy == LifecyclePolicy.Default && !pinnedByTag))
        {
            _lastRequests.TryRemove(intent.Subdomain, out _);
            return null;
        }
        var now = time.GetUtcNow();
        var launchedAt = intent.LaunchedAt ?? intent.CreatedAt;
        var serving = state == LifecycleState.Running;
        DateTimeOffset? lastRequest = null;
        if (!intent.Policy.Keep && !pinnedByTag && intent.Policy.IdleWindow is { } window && serving)
        {
            if (_lastRequests.TryGetValue(intent.Subdomain, out var known) && known + window > now)
            {
                lastRequest = known;
            }
            else
            {
                lastRequest = await idleProbe.LastRequestAsync(intent.Subdomain, window, cancellationToken);
                if (lastRequest is { } found)
                {
                    _lastRequests[intent.Subdomain] = found;
                }
            }
        }
        return PolicyEvaluator.Evaluate(intent.Policy, pinnedByTag, launchedAt, serving, lastRequest, now);
    }

    /// <summary>The <c>Expiring</c> and <c>Idle</c> conditions for a verdict, each saying when it fires.</summary>
    public static IReadOnlyList<PolicyCondition> Conditions(LifecyclePolicy policy, PolicyVerdict verdict, bool pinnedByIntent)
    {
        var conditions = new List<PolicyCondition>();
        var keptBy = pinnedByIntent ? "keep is set" : $"a task has the {KeepTag} or a purge exclude tag";
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
