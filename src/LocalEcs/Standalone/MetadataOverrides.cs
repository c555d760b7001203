using System.Text.Json;
using System.Text.Json.Nodes;
using Mirage.Model.Configuration;

namespace Mirage.LocalEcs.Standalone;

/// <summary>
/// The ECS local container endpoints' override files (<c>CONTAINER_METADATA_PATH</c>, <c>TASK_METADATA_PATH</c>):
/// JSON objects merged into every container answer and into the task answer. Objects merge key by key, recursively;
/// arrays and other values replace what was there. Unlike the original, the answer keeps its JSON names
/// (<c>DockerId</c>, not Go's <c>ID</c>) and leaves out what is empty.
/// </summary>
public sealed class MetadataOverrides
{
    private readonly JsonObject? _container;
    private readonly JsonObject? _task;

    private MetadataOverrides(JsonObject? container, JsonObject? task)
    {
        _container = container;
        _task = task;
    }

    public static MetadataOverrides None { get; } = new(null, null);

    /// <exception cref="FormatException">A file cannot be read or is not a JSON object; the message names it.</exception>
    public static MetadataOverrides Load(string? containerPath, string? taskPath) =>
        new(Read(containerPath, "CONTAINER_METADATA_PATH"), Read(taskPath, "TASK_METADATA_PATH"));

    /// <summary>The container answer with the container overrides merged in.</summary>
    public JsonNode Container(JsonNode container) => _container is null ? container : Merge(container.AsObject(), _container);

    /// <summary>The task answer: each of its containers with the container overrides, then the task overrides.</summary>
    public JsonNode Task(JsonNode task)
    {
        if (_container is not null && task["Containers"] is JsonArray containers)
        {
            foreach (var container in containers.OfType<JsonObject>())
            {
                Merge(container, _container);
            }
        }
        return _task is null ? task : Merge(task.AsObject(), _task);
    }

    private static JsonObject Merge(JsonObject target, JsonObject overrides)
    {
        foreach (var (key, value) in overrides)
        {
            if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
        return target;
    }

    private static JsonObject? Read(string? path, string variable)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(BoundedText.ReadFile(path)) as JsonObject
                ?? throw new FormatException($"{variable} file {path} is not a JSON object; write {{\"Field\": value, ...}}");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{variable} file {path} is not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FileTooLargeException)
        {
            throw new FormatException($"{variable} file {path} cannot be read: {e.Message}", e);
        }
    }
}
