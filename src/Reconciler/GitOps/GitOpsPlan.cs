using Mirage.Model.GitOps;
using Mirage.Model.Intents;

namespace Mirage.Reconciler.GitOps;

/// <summary>
/// What it takes to make the stored intents match the file: pure, ordered by subdomain, so the same file and the
/// same intents always give the same plan whatever the order of the entries. It only ever writes intents the file
/// owns (source <c>gitops</c>, owner = this file), or takes over a subdomain whose earlier owner already terminated
/// it; an API-launched, adopted or other-file environment that is still wanted is reported as a conflict and left alone.
/// </summary>
public sealed record GitOpsPlan(IReadOnlyList<GitOpsChange> Changes, IReadOnlyList<GitOpsConflict> Conflicts)
{
    public static GitOpsPlan Create(
        IReadOnlyList<DesiredEnvironment> desired, string owner, IReadOnlyList<EnvironmentIntent> current, DateTimeOffset now)
    {
        var stored = current.ToDictionary(i => i.Subdomain, StringComparer.Ordinal);
        var wanted = desired.Select(d => d.Subdomain).ToHashSet(StringComparer.Ordinal);
        var changes = new List<GitOpsChange>();
        var conflicts = new List<GitOpsConflict>();

        foreach (var entry in desired.OrderBy(d => d.Subdomain, StringComparer.Ordinal))
        {
            stored.TryGetValue(entry.Subdomain, out var existing);
            if (existing is null)
            {
                changes.Add(new GitOpsChange(GitOpsChangeKind.Create, New(entry, owner, now, $"Declared in {owner}"), 0));
                continue;
            }
            if (!Owns(existing, owner))
            {
                if (existing.Desired == DesiredState.Running)
                {
                    conflicts.Add(new GitOpsConflict(entry.Subdomain, ConflictMessage(existing, owner)));
                }
                else
                {
                    // Its owner already let it go: the file may take the subdomain over.
                    changes.Add(new GitOpsChange(GitOpsChangeKind.Update, New(entry, owner, now, $"Declared in {owner}"), existing.Revision));
                }
                continue;
            }
            var sameSpec = SameSpec(existing, entry);
            // A policy ended it: it stays ended until its entry changes (or the file drops it).
            if (sameSpec && (existing.Desired == DesiredState.Running || CauseReasons.IsPolicy(existing.Cause?.Reason)))
            {
                continue;
            }
            var relaunched = existing with
            {
                TaskDefinitions = entry.TaskDefinitions,
                Parameters = entry.Parameters,
                Policy = entry.Policy,
                Desired = DesiredState.Running,
                // A changed entry is a relaunch, and a relaunch wakes a sleeping environment.
                Asleep = false,
                CreatedAt = existing.Desired == DesiredState.Running ? existing.CreatedAt : now,
                UpdatedAt = now,
                LaunchedAt = now,
                Cause = new EnvironmentEvent(now, CauseReasons.GitOpsApplied, sameSpec ? $"Declared again in {owner}" : $"Changed in {owner}"),
            };
            changes.Add(new GitOpsChange(GitOpsChangeKind.Update, relaunched, existing.Revision));
        }

        foreach (var existing in current.Where(i => Owns(i, owner) && !wanted.Contains(i.Subdomain)).OrderBy(i => i.Subdomain, StringComparer.Ordinal))
        {
            if (existing.Desired == DesiredState.Terminated && existing.Cause?.Reason == CauseReasons.RemovedFromFile)
            {
                continue;
            }
            var terminated = existing with
            {
                Desired = DesiredState.Terminated,
                UpdatedAt = now,
                Cause = new EnvironmentEvent(now, CauseReasons.RemovedFromFile, $"Removed from {owner}"),
            };
            changes.Add(new GitOpsChange(GitOpsChangeKind.Terminate, terminated, existing.Revision));
        }
        return new GitOpsPlan(changes, conflicts);
    }

    private static bool Owns(EnvironmentIntent intent, string owner) =>
        intent.Source == IntentSource.GitOps && string.Equals(intent.Owner, owner, StringComparison.Ordinal);

    private static EnvironmentIntent New(DesiredEnvironment entry, string owner, DateTimeOffset now, string message) => new()
    {
        Subdomain = entry.Subdomain,
        TaskDefinitions = entry.TaskDefinitions,
        Parameters = entry.Parameters,
        Policy = entry.Policy,
        Source = IntentSource.GitOps,
        Owner = owner,
        Desired = DesiredState.Running,
        CreatedAt = now,
        UpdatedAt = now,
        LaunchedAt = now,
        Cause = new EnvironmentEvent(now, CauseReasons.GitOpsApplied, message),
    };

    private static bool SameSpec(EnvironmentIntent intent, DesiredEnvironment entry) =>
        intent.TaskDefinitions.SequenceEqual(entry.TaskDefinitions, StringComparer.Ordinal) &&
        intent.Policy == entry.Policy &&
        intent.Parameters.Count == entry.Parameters.Count &&
        intent.Parameters.All(p => entry.Parameters.TryGetValue(p.Key, out var value) && value == p.Value);

    private static string ConflictMessage(EnvironmentIntent existing, string owner) => existing.Source switch
    {
        IntentSource.GitOps => $"subdomain {existing.Subdomain} is declared in {existing.Owner}; declare it in one file only",
        IntentSource.Adopted => $"subdomain {existing.Subdomain} runs tasks adopted from before; terminate it (POST /api/terminate) to let {owner} own it",
        _ => $"subdomain {existing.Subdomain} was launched through the API; terminate it there (POST /api/terminate) to let {owner} own it",
    };
}
