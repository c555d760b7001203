using System.Globalization;
using Mirage.Model.Backend;
using Mirage.Model.Configuration;

namespace Mirage.Model.Launch;

/// <summary>
/// What a launch gives every container and every task, in mirage-ecs's order (ToECSKeyValuePairs, ToECSTags), and the
/// reading side: which tasks are Mirage's and which subdomain and revision they belong to.
/// </summary>
public static class LaunchEnvironment
{
    /// <summary>
    /// <c>SUBDOMAIN</c>, <c>SUBDOMAINRAW</c>, then <c>{env: value}</c> for each configured parameter, in config order,
    /// whose value is non-empty. <paramref name="compatV1"/> puts base64url of the subdomain in <c>SUBDOMAIN</c>.
    /// </summary>
    public static IReadOnlyList<EnvironmentVariable> BuildEnvironment(
        string subdomain,
        IReadOnlyDictionary<string, string> parameters,
        IReadOnlyList<ParameterConfig> configured,
        bool compatV1 = false)
    {
        var environment = new List<EnvironmentVariable>(configured.Count + 2)
        {
            new(MirageTags.SubdomainEnv, compatV1 ? SubdomainTag.Encode(subdomain) : subdomain),
            new(MirageTags.SubdomainRawEnv, subdomain),
        };
        environment.AddRange(ValuesInConfigOrder(parameters, configured).Select(p => new EnvironmentVariable(p.Config.Env, p.Value)));
        return environment;
    }

    /// <summary>
    /// <c>Subdomain</c> (base64url), <c>ManagedBy=Mirage</c>, then <c>{name: value}</c> for each configured parameter
    /// with a non-empty value, and last Mirage's <c>MirageRevision</c> and <c>MirageTaskIndex</c> when given.
    /// </summary>
    public static IReadOnlyList<EcsTag> BuildTags(
        string subdomain,
        IReadOnlyDictionary<string, string> parameters,
        IReadOnlyList<ParameterConfig> configured,
        long? revision = null,
        int? taskIndex = null)
    {
        var tags = new List<EcsTag>(configured.Count + 3)
        {
            new(MirageTags.Subdomain, SubdomainTag.Encode(subdomain)),
            new(MirageTags.ManagedBy, MirageTags.ManagedByValue),
        };
        tags.AddRange(ValuesInConfigOrder(parameters, configured).Select(p => new EcsTag(p.Config.Name, p.Value)));
        if (revision is { } r)
        {
            tags.Add(new EcsTag(MirageTags.Revision, r.ToString(CultureInfo.InvariantCulture)));
        }
        if (taskIndex is { } index)
        {
            tags.Add(new EcsTag(MirageTags.TaskIndex, index.ToString(CultureInfo.InvariantCulture)));
        }
        return tags;
    }

    /// <summary>True for tasks tagged <c>ManagedBy=Mirage</c>, the filter mirage-ecs lists tasks with.</summary>
    public static bool IsManagedByMirage(IEnumerable<EcsTag> tags) =>
        tags.Any(t => t.Key == MirageTags.ManagedBy && t.Value == MirageTags.ManagedByValue);

    /// <summary>The decoded <c>Subdomain</c> tag, or null when the task has none.</summary>
    public static string? FindSubdomain(IEnumerable<EcsTag> tags) =>
        tags.FirstOrDefault(t => t.Key == MirageTags.Subdomain) is { } tag ? SubdomainTag.Decode(tag.Value) : null;

    /// <summary>The <c>MirageRevision</c> tag, or null when absent or not a number (e.g. a task mirage-ecs launched).</summary>
    public static long? FindRevision(IEnumerable<EcsTag> tags) =>
        tags.FirstOrDefault(t => t.Key == MirageTags.Revision) is { } tag
            && long.TryParse(tag.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : null;

    /// <summary>The <c>MirageTaskIndex</c> tag, or null when absent or not a number.</summary>
    public static int? FindTaskIndex(IEnumerable<EcsTag> tags) =>
        tags.FirstOrDefault(t => t.Key == MirageTags.TaskIndex) is { } tag
            && int.TryParse(tag.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : null;

    private static IEnumerable<(ParameterConfig Config, string Value)> ValuesInConfigOrder(
        IReadOnlyDictionary<string, string> parameters,
        IReadOnlyList<ParameterConfig> configured)
    {
        foreach (var config in configured)
        {
            if (parameters.TryGetValue(config.Name, out var value) && value.Length > 0)
            {
                yield return (config, value);
            }
        }
    }
}
