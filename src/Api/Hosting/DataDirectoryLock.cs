using System.Globalization;

namespace Mirage.Api.Hosting;

/// <summary>
/// Exclusive use of <c>local.data_dir</c> for this process's life: two Mirages on one folder would each start the
/// other's tasks and overwrite each other's intents. The lock is an OS file lock (flock, through
/// <see cref="FileShare.None"/>), so the kernel drops it when the holder dies, even by kill -9: a crashed Mirage
/// never blocks its restart. The holder's pid goes into a file next to it, for the refusal message.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string LockFileName = "mirage.lock";
    public const string PidFileName = "mirage.pid";

    private readonly FileStream _lock;

    private DataDirectoryLock(string folder, FileStream held)
    {
        Folder = folder;
        _lock = held;
    }

    /// <summary>The data directory, as a full path.</summary>
    public string Folder { get; }

    /// <summary>Takes the lock, or returns null and what to tell the operator when another process holds it.</summary>
    public static (DataDirectoryLock? Lock, string? Refusal) TryAcquire(string dataDir)
    {
        var folder = Path.GetFullPath(dataDir);
        Directory.CreateDirectory(folder);
        FileStream held;
        try
        {
            held = new FileStream(Path.Combine(folder, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var holder = ReadHolder(folder) is { } pid ? $" (pid {pid.ToString(CultureInfo.InvariantCulture)})" : "";
            return (null, $"the data directory {folder} is in use by another Mirage process{holder}; stop that one, or give this one another local.data_dir");
        }
        File.WriteAllText(Path.Combine(folder, PidFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        return (new DataDirectoryLock(folder, held), null);
    }

    public void Dispose() => _lock.Dispose();

    private static int? ReadHolder(string folder)
    {
        try
        {
            return int.TryParse(File.ReadAllText(Path.Combine(folder, PidFileName)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            // The holder is between taking the lock and writing its pid.
            return null;
        }
    }
}
