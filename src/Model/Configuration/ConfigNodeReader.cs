using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mirage.Model.Configuration;

/// <summary>
/// Typed, located reads over the YAML tree: every value is checked against the type its key needs, and every
/// problem becomes a <see cref="ConfigException"/> (or a warning) that names the file, the line as written and the key.
/// </summary>
internal sealed class ConfigNodeReader(string file, RenderedLineMap lines, ICollection<ConfigWarning> warnings)
{
    private int _mergedEntries;

    public string File => file;

    public ConfigException Error(YamlNode node, string problem) => Error(node.Start, problem);

    public ConfigException Error(Mark mark, string problem)
    {
        var (line, column) = lines.ToSource(checked((int)mark.Line), checked((int)mark.Column));
        return new ConfigException(file, line, column, problem);
    }

    public void Warn(YamlNode node, string message) => warnings.Add(new ConfigWarning(file, SourceLine(node), message));

    public void Warn(int sourceLine, string message) => warnings.Add(new ConfigWarning(file, sourceLine, message));

    public int SourceLine(YamlNode node) => lines.ToSource(checked((int)node.Start.Line), checked((int)node.Start.Column)).Line;

    /// <summary>
    /// The entries of a mapping, YAML merge keys (<c>&lt;&lt;: *anchor</c>) expanded first so explicit keys win.
    /// Entries whose value is null are skipped: an empty key keeps its default, as a key that is not there.
    /// </summary>
    public IEnumerable<ConfigEntry> Entries(YamlNode node, string path, string expected) =>
        Entries(node, path, expected, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));

    // Merges are expanded by value, so an alias merged twice at every level doubles each time, and a mapping can merge
    // itself: both are refused (a budget of entries, and the mappings being expanded) rather than expanded for ever.
    // By reference: a YamlNode's own hash walks its whole tree, aliases included.
    private List<ConfigEntry> Entries(YamlNode node, string path, string expected, HashSet<YamlNode> expanding)
    {
        var mapping = node as YamlMappingNode ?? throw TypeError(node, path, expected);
        if (!expanding.Add(mapping))
        {
            throw Error(node, $"{path}: this mapping merges itself (<<: *anchor inside the anchored mapping); merge another mapping");
        }
        var merged = new List<ConfigEntry>();
        var explicitEntries = new List<ConfigEntry>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = keyNode is YamlScalarNode { Value: { } k } ? k : throw Error(keyNode, $"{path}: keys must be plain names, not {Describe(keyNode)}");
            if (key == "<<")
            {
                var sources = value is YamlSequenceNode list ? list.Children : [value];
                foreach (var source in sources)
                {
                    var entries = Entries(source, path, "a mapping to merge (<<: *anchor)", expanding);
                    _mergedEntries += entries.Count;
                    if (_mergedEntries > FileLimits.MaxMergedEntries)
                    {
                        throw Error(keyNode, $"{path}: merge keys (<<: *anchor) expand to more than {FileLimits.MaxMergedEntries} entries in this file; merge fewer or smaller mappings");
                    }
                    merged.AddRange(entries);
                }
            }
            else if (!IsNull(value))
            {
                explicitEntries.Add(new ConfigEntry(key, Join(path, key), keyNode, value));
            }
        }
        expanding.Remove(mapping);
        return [.. merged, .. explicitEntries];
    }

    public void WarnUnknown(ConfigEntry entry, string knownKeys) =>
        Warn(entry.KeyNode, $"unknown key {entry.Path} is ignored; check its spelling and indentation (keys allowed here: {knownKeys})");

    public IEnumerable<(int Index, string Path, YamlNode Item)> Items(YamlNode node, string path, string expected)
    {
        var sequence = node as YamlSequenceNode ?? throw TypeError(node, path, expected);
        return sequence.Children.Select((item, index) => (index, $"{path}[{index}]", item));
    }

    public string String(YamlNode node, string path) =>
        node is YamlScalarNode scalar
            ? IsNull(node) ? "" : scalar.Value ?? ""
            : throw TypeError(node, path, "a string");

    public IReadOnlyList<string> StringList(YamlNode node, string path)
    {
        if (node is YamlScalarNode && !IsNull(node))
        {
            throw TypeError(node, path, "a list of strings, e.g. [a, b]");
        }
        return [.. Items(node, path, "a list of strings, e.g. [a, b]").Select(i => String(i.Item, i.Path))];
    }

    public int Int(YamlNode node, string path)
    {
        var text = node is YamlScalarNode { Value: { } v } ? v.Trim() : null;
        return text is not null && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw TypeError(node, path, "a whole number");
    }

    // yaml.v2 (YAML 1.1) also reads yes/no/on/off as booleans, so existing mirage-ecs configs may use them.
    public bool Bool(YamlNode node, string path) =>
        (node as YamlScalarNode)?.Value?.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "on" or "y" => true,
            "false" or "no" or "off" or "n" => false,
            _ => throw TypeError(node, path, "true or false"),
        };

    /// <summary>A Go duration string. A bare number is refused: mirage-ecs reads it as nanoseconds, which nobody means.</summary>
    public TimeSpan Duration(YamlNode node, string path)
    {
        var text = node is YamlScalarNode { Value: { } v } ? v.Trim() : throw TypeError(node, path, "a duration such as \"30s\"");
        if (text == "0")
        {
            return TimeSpan.Zero;
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw Error(node, $"{path}: \"{text}\" has no unit; write a duration with a unit such as \"{text}s\", \"30s\", \"5m\" or \"1h30m\" (mirage-ecs would read a bare number as nanoseconds)");
        }
        if (!GoDuration.TryParse(text, out var duration))
        {
            throw Error(node, $"{path}: \"{text}\" is not a duration; write a number with a unit (ns, us, ms, s, m, h), e.g. \"500ms\", \"30s\", \"1h30m\"");
        }
        if (duration < TimeSpan.Zero)
        {
            throw Error(node, $"{path}: \"{text}\" is negative; use 0 for no limit or a positive duration such as \"30s\"");
        }
        return duration;
    }

    public ConfigException TypeError(YamlNode node, string path, string expected) =>
        Error(node, $"{path} must be {expected}, not {Describe(node, path)}");

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    // Values under auth may be secrets written in the wrong place, so they are never echoed back.
    private static string Describe(YamlNode node, string path = "") => node switch
    {
        YamlScalarNode s when IsNull(s) => "empty",
        YamlScalarNode when path.StartsWith("auth", StringComparison.Ordinal) => "a single value",
        YamlScalarNode s => $"the value \"{Shorten(s.Value ?? "")}\"",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "this value",
    };

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}

/// <param name="Key">The key as written.</param>
/// <param name="Path">Dotted path from the root, for messages (e.g. <c>listen.http[0].listen</c>).</param>
internal sealed record ConfigEntry(string Key, string Path, YamlNode KeyNode, YamlNode Value);
