using Mirage.Model.Configuration;
using Mirage.Model.Intents;
using Mirage.Model.Parameters;
using Mirage.Model.Subdomains;
using YamlDotNet.RepresentationModel;

namespace Mirage.Model.GitOps;

/// <summary>
/// Reads the desired-environments file (docs/gitops.md) with the config loader's rules and messages: each problem is
/// a <see cref="ConfigException"/> naming the file, the line and the key, and saying what to write instead. Entries
/// are checked as <c>/api/launch</c> checks a request (subdomain rules, configured parameters); the task definitions
/// are checked later against the backend. A file that lists nothing is refused unless it says <c>allow_empty: true</c>,
/// so a truncated or emptied file never terminates everything by accident.
/// </summary>
public sealed class DesiredEnvironmentsParser(LaunchParameterResolver parameters)
{
    private const string RootKeys = "environments, allow_empty";
    private const string EntryKeys = "subdomain, branch, taskdef, parameters, policy";

    /// <exception cref="ConfigException">The file cannot be used; nothing of it should be applied.</exception>
    public DesiredEnvironmentsFile Parse(ConfigText text)
    {
        var warnings = new List<ConfigWarning>();
        var reader = new ConfigNodeReader(text.DisplayName, RenderedLineMap.Identity, warnings);
        var root = ConfigLoader.ParseYaml(text.Text, reader);
        if (root is null)
        {
            throw new ConfigException(text.DisplayName, null, null, EmptyProblem("the file is empty"));
        }

        var environments = new List<DesiredEnvironment>();
        var allowEmpty = false;
        var sawEnvironments = false;
        foreach (var entry in reader.Entries(root, "", "a mapping with environments (a list) and allow_empty"))
        {
            switch (entry.Key)
            {
                case "environments":
                    sawEnvironments = true;
                    environments = ReadEnvironments(reader, entry);
                    break;
                case "allow_empty":
                    allowEmpty = reader.Bool(entry.Value, entry.Path);
                    break;
                default:
                    throw reader.Error(entry.KeyNode, $"unknown key {entry.Path}; check its spelling and indentation (keys allowed here: {RootKeys})");
            }
        }
        if (environments.Count == 0 && !allowEmpty)
        {
            throw reader.Error(root, EmptyProblem(sawEnvironments ? "environments is empty" : "the file has no environments list"));
        }
        return new DesiredEnvironmentsFile(environments, allowEmpty);
    }

    private static string EmptyProblem(string what) =>
        $"{what}, which would terminate every environment of this file; list environments under environments:, or add allow_empty: true if you really mean to terminate them all";

    private List<DesiredEnvironment> ReadEnvironments(ConfigNodeReader reader, ConfigEntry environments)
    {
        var result = new List<DesiredEnvironment>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, path, item) in reader.Items(environments.Value, "environments", "a list of environments, e.g. [{subdomain: main, branch: main, taskdef: [web]}]"))
        {
            var desired = ReadEnvironment(reader, path, item);
            if (seen.TryGetValue(desired.Subdomain, out var first))
            {
                throw reader.Error(item, $"{path}: subdomain {desired.Subdomain} is already declared at {first}; declare each environment once");
            }
            seen[desired.Subdomain] = path;
            result.Add(desired);
        }
        return result;
    }

    private DesiredEnvironment ReadEnvironment(ConfigNodeReader reader, string path, YamlNode item)
    {
        string? subdomain = null;
        string? branch = null;
        IReadOnlyList<string> taskDefinitions = [];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var policy = LifecyclePolicy.Default;
        foreach (var entry in reader.Entries(item, path, $"a mapping with {EntryKeys}"))
        {
            switch (entry.Key)
            {
                case "subdomain":
                    subdomain = SubdomainRules.Normalize(reader.String(entry.Value, entry.Path).Trim());
                    if (SubdomainRules.Validate(subdomain) is { } invalid)
                    {
                        throw reader.Error(entry.Value, $"{entry.Path}: {invalid}; use 2 to 63 lower-case letters, digits and hyphens (or a path.Match pattern such as pr-*)");
                    }
                    break;
                case "branch":
                    branch = reader.String(entry.Value, entry.Path).Trim();
                    break;
                case "taskdef":
                    taskDefinitions = entry.Value is YamlScalarNode
                        ? [reader.String(entry.Value, entry.Path).Trim()]
                        : [.. reader.StringList(entry.Value, entry.Path).Select(t => t.Trim())];
                    if (taskDefinitions.Any(t => t.Length == 0))
                    {
                        throw reader.Error(entry.Value, $"{entry.Path} has an empty name; write task definition families, family:revision or ARNs, e.g. [web, worker:3]");
                    }
                    break;
                case "parameters":
                    foreach (var parameter in reader.Entries(entry.Value, entry.Path, "a mapping of parameter names to values, e.g. {owner: alice}"))
                    {
                        if (parameter.Key == "branch")
                        {
                            throw reader.Error(parameter.KeyNode, $"{parameter.Path}: write the branch at the entry level (branch: main), not under parameters");
                        }
                        if (!parameters.Parameters.Any(p => p.Config.Name == parameter.Key))
                        {
                            var known = string.Join(", ", parameters.Parameters.Select(p => p.Config.Name).Where(n => n != "branch"));
                            throw reader.Error(parameter.KeyNode, $"{parameter.Path}: {parameter.Key} is not a configured parameter (configured: {(known.Length == 0 ? "none besides branch" : known)}); add it to parameters in the Mirage config or remove it here");
                        }
                        values[parameter.Key] = reader.String(parameter.Value, parameter.Path);
                    }
                    break;
                case "policy":
                    policy = ReadPolicy(reader, entry);
                    break;
                default:
                    throw reader.Error(entry.KeyNode, $"unknown key {entry.Path}; check its spelling and indentation (keys allowed here: {EntryKeys})");
            }
        }
        if (subdomain is null)
        {
            throw reader.Error(item, $"{path} has no subdomain; every environment needs one, e.g. subdomain: feature-x");
        }
        if (taskDefinitions.Count == 0)
        {
            throw reader.Error(item, $"{path} (subdomain {subdomain}) has no taskdef; name the task definitions to run, e.g. taskdef: [web]");
        }
        var resolved = parameters.Resolve(branch, values);
        if (resolved.Error is { } error)
        {
            throw reader.Error(item, $"{path} (subdomain {subdomain}): {error}; fix the entry's branch or parameters so they satisfy the Mirage config's parameters");
        }
        return new DesiredEnvironment(subdomain, taskDefinitions, resolved.ToDictionary(), policy, reader.SourceLine(item));
    }

    private static LifecyclePolicy ReadPolicy(ConfigNodeReader reader, ConfigEntry policyEntry)
    {
        var policy = LifecyclePolicy.Default;
        foreach (var entry in reader.Entries(policyEntry.Value, policyEntry.Path, "a mapping with keep, ttl, idle and sleep_after"))
        {
            switch (entry.Key)
            {
                case "keep":
                    policy = policy with { Keep = reader.Bool(entry.Value, entry.Path) };
                    break;
                case "ttl":
                    var ttl = reader.Duration(entry.Value, entry.Path);
                    if (ttl <= TimeSpan.Zero)
                    {
                        throw reader.Error(entry.Value, $"{entry.Path}: a ttl must be positive, e.g. \"24h\"; remove the key for no ttl");
                    }
                    policy = policy with { Ttl = ttl };
                    break;
                case "idle":
                    var idle = reader.Duration(entry.Value, entry.Path);
                    if (idle < TimeSpan.FromMinutes(1))
                    {
                        throw reader.Error(entry.Value, $"{entry.Path}: {GoDuration.Format(idle)} is shorter than the one-minute access counters can tell; write at least \"1m\", e.g. \"2h\"");
                    }
                    policy = policy with { IdleWindow = idle };
                    break;
                case "sleep_after":
                    var sleepAfter = reader.Duration(entry.Value, entry.Path);
                    if (sleepAfter != TimeSpan.Zero && sleepAfter < SleepPolicy.MinimumSleepAfter)
                    {
                        throw reader.Error(entry.Value, $"{entry.Path}: {GoDuration.Format(sleepAfter)} is too short; write at least \"{GoDuration.Format(SleepPolicy.MinimumSleepAfter)}\" (e.g. \"30m\"), or 0 for never");
                    }
                    policy = policy with { SleepAfter = sleepAfter };
                    break;
                default:
                    throw reader.Error(entry.KeyNode, $"unknown key {entry.Path}; check its spelling and indentation (keys allowed here: keep, ttl, idle, sleep_after)");
            }
        }
        if (policy.Keep && (policy.Ttl is not null || policy.IdleWindow is not null))
        {
            throw reader.Error(policyEntry.Value, $"{policyEntry.Path}: keep: true never expires or purges, so ttl and idle would do nothing; remove keep or remove ttl and idle");
        }
        return policy;
    }
}
