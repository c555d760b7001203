using System.Text.Json;

namespace Mirage.LocalEcs.Docker;

/// <summary>
/// Lenient reads of the engine's JSON documents: Docker and podman leave members out or null across versions, so a
/// missing or mistyped member reads as empty (<c>default</c>, 0, null, nothing) instead of throwing.
/// </summary>
internal static class EngineJson
{
    public static JsonElement Object(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) ? value : default;

    public static IEnumerable<JsonElement> Array(JsonElement parent, string name) =>
        Object(parent, name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    public static string? String(JsonElement parent, string name) =>
        Object(parent, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static List<string> Strings(JsonElement parent, string name) =>
        [.. Array(parent, name).Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];

    public static int Int(JsonElement parent, string name) =>
        Object(parent, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number) ? number : 0;

    public static long Long(JsonElement parent, string name) =>
        Object(parent, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : 0;

    public static Dictionary<string, string> StringMap(JsonElement parent, string name) =>
        Object(parent, name) is { ValueKind: JsonValueKind.Object } map
            ? map.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
