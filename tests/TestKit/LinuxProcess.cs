using System.Diagnostics;
using System.Globalization;
using Mirage.LocalEcs.Processes;

namespace Mirage.TestKit;

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
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && ProcFs.TryReadStat(id) is { } stat)
            {
                (byParent.TryGetValue(stat.ParentPid, out var list) ? list : byParent[stat.ParentPid] = []).Add(new LinuxProcess(id, stat.StartTicks));
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
        if (ProcFs.IsAlive(Pid, StartTicks))
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
}
