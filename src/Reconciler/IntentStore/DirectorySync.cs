using System.Runtime.InteropServices;

namespace Mirage.Reconciler.IntentStore;

/// <summary>
/// fsync of a directory, which .NET has no API for: a rename or delete is durable only once the directory entry is
/// on disk, so without it a power loss right after a write can bring the old version back (or lose a new file).
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;

    /// <summary>Flushes <paramref name="folder"/>'s entries to disk; throws <see cref="IOException"/> when the OS refuses.</summary>
    public static void Flush(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            // Windows makes renames durable with the file's own flush; there is no directory handle to sync.
            return;
        }
        var descriptor = Open(folder, ReadOnly | CloseOnExec);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open {folder} to flush it: errno {Marshal.GetLastPInvokeError()}");
        }
        try
        {
            if (FSync(descriptor) != 0)
            {
                throw new IOException($"fsync of {folder} failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
