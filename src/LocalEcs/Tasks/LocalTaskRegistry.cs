using System.Collections.Concurrent;

namespace Mirage.LocalEcs.Tasks;

/// <summary>The tasks LocalEcs knows, shared by the backend (which adds and removes them) and the endpoints (which read them).</summary>
public sealed class LocalTaskRegistry
{
    private readonly ConcurrentDictionary<string, LocalTask> _tasks = new(StringComparer.Ordinal);

    internal IReadOnlyCollection<LocalTask> All => [.. _tasks.Values];

    internal void Add(LocalTask task) => _tasks[task.TaskId] = task;

    internal void Remove(string taskId) => _tasks.TryRemove(taskId, out _);

    /// <summary>By task id (the ARN's last segment) or full ARN.</summary>
    internal LocalTask? Find(string taskIdOrArn)
    {
        var id = taskIdOrArn[(taskIdOrArn.LastIndexOf('/') + 1)..];
        return _tasks.TryGetValue(id, out var task) && (id == taskIdOrArn || task.Arn == taskIdOrArn) ? task : null;
    }

    /// <summary>The current state of a task by id, for the metadata and credentials endpoints.</summary>
    public LocalTaskSnapshot? Snapshot(string taskId) => _tasks.TryGetValue(taskId, out var task) ? task.Snapshot() : null;

    public IReadOnlyList<LocalTaskSnapshot> Snapshots() => [.. _tasks.Values.Select(t => t.Snapshot())];
}
