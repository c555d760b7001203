using System.Diagnostics;
using System.Globalization;

namespace Mirage.EndToEnd.Tests.Support;

/// <summary>
/// A process identified by its pid and start time (from /proc), so a pid reused by an unrelated process later is
/// never killed by mistake.
/// </summary>
public sealed record LinuxProcess(int Pid, long StartTicks)
{
    /// <summary>Every live descendant of <paramref name="pid"/> (children, grandchildren…).</summary>
    public static IReadOnlyList<LinuxProcess> DescendantsOf(int pid)
    {
        var byParent = new Dictionary<int, List<LinuxProcess>>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && Read(id) is { } stat)
            {
                (byParent.TryGetValue(stat.Parent, out var list) ? list : byParent[stat.Parent] = []).Add(new LinuxProcess(id, stat.StartTicks));
            }
        }
        var found = new List<LinuxProcess>();
        var pending = new Queue<int>([pid]);
        while (pending.TryDequeue(out var parent))
        {
            foreach (var child in byParent.GetValueOrDefault(parent) ?? [])
            {
                found.Add(child);
                pending.Enqueue(child.Pid);
            }
        }
        return found;
    }

    public void KillIfStillTheSame()
    {
        if (Read(Pid) is { } stat && stat.StartTicks == StartTicks)
        {
            try
            {
                using var process = Process.GetProcessById(Pid);
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // It ended meanwhile.
            }
        }
    }

    // /proc/<pid>/stat: "pid (comm) state ppid … starttime(22nd field) …"; comm may contain spaces and parentheses.
    private static (int Parent, long StartTicks)? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[19], CultureInfo.InvariantCulture));
    }
}
