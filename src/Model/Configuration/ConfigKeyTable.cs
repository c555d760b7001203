namespace Mirage.Model.Configuration;

/// <summary>Reads one key of a config mapping into the value being built, and returns the new value.</summary>
internal delegate T ConfigKeyHandler<T>(ConfigYamlMapper mapper, ConfigEntry entry, T value);

/// <summary>
/// One config mapping's keys, each with the handler that reads it. Both the dispatch and the "keys allowed here" list
/// of the unknown-key warning come from this one table, so a key added here is read and listed at once.
/// </summary>
internal sealed class ConfigKeyTable<T>
{
    private readonly Dictionary<string, ConfigKeyHandler<T>> _handlers = new(StringComparer.Ordinal);

    /// <param name="keys">The keys allowed here, in the order the warning lists them.</param>
    /// <param name="unlisted">Keys that are handled (an alias, a key mirage-ecs has but Mirage ignores with its own
    /// warning) but not offered in the list, so the list only names keys worth writing.</param>
    public ConfigKeyTable(
        IReadOnlyList<(string Key, ConfigKeyHandler<T> Read)> keys,
        IReadOnlyList<(string Key, ConfigKeyHandler<T> Read)>? unlisted = null)
    {
        foreach (var (key, read) in keys.Concat(unlisted ?? []))
        {
            if (!_handlers.TryAdd(key, read))
            {
                throw new ArgumentException($"config key {key} is in the table twice", nameof(keys));
            }
        }
        KnownKeys = string.Join(", ", keys.Select(k => k.Key));
    }

    /// <summary>The keys allowed here, as the unknown-key warning lists them.</summary>
    public string KnownKeys { get; }

    /// <summary>Applies each entry's handler in file order; an unknown key is a warning and changes nothing.</summary>
    public T Read(ConfigYamlMapper mapper, IEnumerable<ConfigEntry> entries, T value)
    {
        foreach (var entry in entries)
        {
            if (_handlers.TryGetValue(entry.Key, out var read))
            {
                value = read(mapper, entry, value);
            }
            else
            {
                mapper.Reader.WarnUnknown(entry, KnownKeys);
            }
        }
        return value;
    }
}
