using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mirage.Model.Intents;
using Mirage.Reconciler.GitOps;
using static Mirage.Reconciler.Tests.GitOps.GitOpsGenerators;

namespace Mirage.Reconciler.Tests.GitOps;

public sealed class GitOpsPlanPropertyTests
{
    [Property(MaxTest = 1000)]
    public Property The_plan_does_not_depend_on_the_order_of_the_entries()
    {
        var arb = (from entries in DesiredLists from current in StoredIntents from seed in Gen.Choose(0, 10_000) select (entries, current, seed)).ToArbitrary();
        return Prop.ForAll(arb, t =>
        {
            var shuffled = t.entries.OrderBy(_ => new Random(t.seed).Next()).Reverse().ToList();
            var plan = GitOpsPlan.Create(t.entries, Owner, t.current, Now);
            var other = GitOpsPlan.Create(shuffled, Owner, t.current, Now);
            return Describe(plan) == Describe(other);
        });
    }

    [Property(MaxTest = 1000)]
    public Property Applying_a_plan_then_planning_again_changes_nothing()
    {
        var arb = (from entries in DesiredLists from current in StoredIntents select (entries, current)).ToArbitrary();
        return Prop.ForAll(arb, t =>
        {
            var stored = t.current.ToDictionary(i => i.Subdomain, StringComparer.Ordinal);
            foreach (var change in GitOpsPlan.Create(t.entries, Owner, t.current, Now).Changes)
            {
                Assert.Equal(stored.TryGetValue(change.Intent.Subdomain, out var before) ? before.Revision : 0, change.ExpectedRevision);
                stored[change.Intent.Subdomain] = change.Intent with { Revision = change.ExpectedRevision + 1 };
            }
            var again = GitOpsPlan.Create(t.entries, Owner, [.. stored.Values], Now.AddMinutes(1));
            return again.Changes.Count == 0;
        });
    }

    [Property(MaxTest = 1000)]
    public Property The_plan_writes_only_what_the_file_owns_or_what_was_let_go()
    {
        var arb = (from entries in DesiredLists from current in StoredIntents select (entries, current)).ToArbitrary();
        return Prop.ForAll(arb, t =>
        {
            var plan = GitOpsPlan.Create(t.entries, Owner, t.current, Now);
            foreach (var change in plan.Changes)
            {
                var before = t.current.FirstOrDefault(i => i.Subdomain == change.Intent.Subdomain);
                var owned = before is null || (before.Source == IntentSource.GitOps && before.Owner == Owner) || before.Desired == DesiredState.Terminated;
                Assert.True(owned, $"{change.Kind} {change.Intent.Subdomain} over {before?.Source} {before?.Owner} {before?.Desired}");
                Assert.Equal(IntentSource.GitOps, change.Intent.Source);
                Assert.Equal(Owner, change.Intent.Owner);
            }
            // Every wanted subdomain held by someone else is reported, not silently skipped.
            var conflicted = t.entries.Where(e => t.current.Any(i => i.Subdomain == e.Subdomain && i.Desired == DesiredState.Running &&
                !(i.Source == IntentSource.GitOps && i.Owner == Owner))).Select(e => e.Subdomain).Order().ToList();
            return conflicted.SequenceEqual(plan.Conflicts.Select(c => c.Subdomain).Order());
        });
    }

    private static string Describe(GitOpsPlan plan) =>
        string.Join("\n", plan.Changes.Select(c => $"{c.Kind} {c.Intent.Subdomain} {c.ExpectedRevision} {c.Intent.Desired} {string.Join(",", c.Intent.TaskDefinitions)} {c.Intent.Policy}")) +
        "\n" + string.Join("\n", plan.Conflicts);
}
