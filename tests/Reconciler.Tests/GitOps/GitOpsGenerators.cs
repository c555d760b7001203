using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Mirage.Model.GitOps;
using Mirage.Model.Intents;

namespace Mirage.Reconciler.Tests.GitOps;

/// <summary>Random desired files and stored intents over a small set of subdomains, so they collide often.</summary>
internal static class GitOpsGenerators
{
    public const string Owner = "desired.yaml";
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Names = ["main", "develop", "pr-1", "pr-2", "pr-3", "staging", "demo", "qa"];

    public static Gen<DesiredEnvironment> Entry(string subdomain) =>
        from taskdef in Gen.Elements("web", "web:2", "api")
        from branch in Gen.Elements("main", "feature/a", "feature/b")
        from ttlHours in Gen.Choose(0, 3)
        from keep in Gen.Elements(true, false, false)
        select new DesiredEnvironment(
            subdomain,
            [taskdef],
            new Dictionary<string, string> { ["branch"] = branch },
            keep ? new LifecyclePolicy(Keep: true) : new LifecyclePolicy(Ttl: ttlHours == 0 ? null : TimeSpan.FromHours(ttlHours)),
            1);

    public static Gen<List<DesiredEnvironment>> DesiredLists { get; } =
        from picked in Gen.SubListOf(Names)
        from entries in Gen.CollectToList(picked, Entry)
        select entries.ToList();

    public static Gen<EnvironmentIntent> Intent(string subdomain) =>
        from source in Gen.Elements(IntentSource.Api, IntentSource.GitOps, IntentSource.GitOps, IntentSource.Adopted)
        from owner in Gen.Elements(Owner, Owner, "other.yaml")
        from desired in Gen.Elements(DesiredState.Running, DesiredState.Running, DesiredState.Terminated)
        from cause in Gen.Elements<string?>(null, CauseReasons.GitOpsApplied, CauseReasons.Expired, CauseReasons.RemovedFromFile)
        from entry in Entry(subdomain)
        from revision in Gen.Choose(1, 9)
        select new EnvironmentIntent
        {
            Subdomain = subdomain,
            TaskDefinitions = entry.TaskDefinitions,
            Parameters = entry.Parameters,
            Policy = entry.Policy,
            Source = source,
            Owner = source == IntentSource.GitOps ? owner : null,
            Desired = desired,
            Revision = revision,
            Cause = cause is null ? null : new EnvironmentEvent(Now.AddHours(-1), cause, cause),
        };

    public static Gen<List<EnvironmentIntent>> StoredIntents { get; } =
        from picked in Gen.SubListOf(Names)
        from intents in Gen.CollectToList(picked, Intent)
        select intents.ToList();

    /// <summary>The entries as the file would write them.</summary>
    public static string Yaml(IEnumerable<DesiredEnvironment> entries, bool allowEmpty = false)
    {
        var text = new StringBuilder(allowEmpty ? "allow_empty: true\n" : "").Append("environments:\n");
        foreach (var e in entries)
        {
            text.Append($"  - subdomain: {e.Subdomain}\n    branch: {e.Parameters["branch"]}\n    taskdef: [\"{e.TaskDefinitions[0]}\"]\n");
            if (e.Policy.Keep)
            {
                text.Append("    policy: {keep: true}\n");
            }
            else if (e.Policy.Ttl is { } ttl)
            {
                text.Append($"    policy: {{ttl: {(int)ttl.TotalHours}h}}\n");
            }
        }
        return text.ToString();
    }
}
