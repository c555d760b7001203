using System.Text.Json;

namespace Mirage.LocalEcs.Tasks;

/// <summary>One JSON file per task in the journal folder, replaced atomically (temp file, flush to disk, rename).</summary>
internal sealed class TaskJournal(string folder)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Write(LocalTaskSnapshot snapshot)
    {
        Directory.CreateDirectory(folder);
        var path = PathOf(snapshot.TaskId);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, snapshot, Json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    public void Delete(string taskId)
    {
        File.Delete(PathOf(taskId));
    }

    /// <summary>Every readable entry; unreadable files are reported, not fatal.</summary>
    public (IReadOnlyList<LocalTaskSnapshot> Entries, IReadOnlyList<string> Errors) ReadAll()
    {
        var entries = new List<LocalTaskSnapshot>();
        var errors = new List<string>();
        if (!Directory.Exists(folder))
        {
            return (entries, errors);
        }
        foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
        {
            try
            {
                using var stream = File.OpenRead(file);
                if (JsonSerializer.Deserialize<LocalTaskSnapshot>(stream, Json) is { } entry)
                {
                    entries.Add(entry);
                }
            }
            catch (JsonException ex)
            {
                errors.Add($"{Path.GetFileName(file)}: {ex.Message}");
            }
            catch (IOException ex)
            {
                errors.Add($"{Path.GetFileName(file)}: {ex.Message}");
            }
        }
        return (entries, errors);
    }

    private string PathOf(string taskId) => Path.Combine(folder, taskId + ".json");
}
