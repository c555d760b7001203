using System.Globalization;

namespace Mirage.Edge.Bench;

/// <summary>
/// CPU time and memory of a process and its live descendants, read from /proc: user+sys jiffies (plus what exited
/// children left in cutime/cstime) and VmRSS. nginx forwards in worker processes, so the tree is what counts.
/// </summary>
public static class ProcessTreeCpu
{
    // USER_HZ is 100 on every Linux the bench runs on (sysconf(_SC_CLK_TCK)); a jiffy is 10 ms.
    private const double JiffyMicroseconds = 10_000;

    /// <summary>CPU time of <paramref name="rootPid"/> and its descendants, in microseconds.</summary>
    public static double Microseconds(int rootPid)
    {
        long jiffies = 0;
        foreach (var pid in Tree(rootPid))
        {
            if (ReadStat(pid) is { } stat)
            {
                jiffies += stat.UserSys;
            }
        }
        return jiffies * JiffyMicroseconds;
    }

    /// <summary>Resident memory of the tree, in MB.</summary>
    public static double RssMegabytes(int rootPid)
    {
        long kb = 0;
        foreach (var pid in Tree(rootPid))
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                {
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    {
                        kb += long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                // The process ended between the listing and the read.
            }
        }
        return kb / 1024.0;
    }

    /// <summary>The 1-minute load average, to print next to each round.</summary>
    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static List<int> Tree(int rootPid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid) && ReadStat(pid) is { } stat)
            {
                parents[pid] = stat.ParentPid;
            }
        }
        var tree = new List<int> { rootPid };
        for (var i = 0; i < tree.Count; i++)
        {
            foreach (var (pid, parent) in parents)
            {
                if (parent == tree[i])
                {
                    tree.Add(pid);
                }
            }
        }
        return tree;
    }

    private static (int ParentPid, long UserSys)? ReadStat(int pid)
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
        // The command name is in parentheses and may hold spaces: fields are counted after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): ppid is field 4, utime..cstime fields 14..17.
        var ppid = int.Parse(fields[1], CultureInfo.InvariantCulture);
        long sum = 0;
        for (var field = 14; field <= 17; field++)
        {
            sum += long.Parse(fields[field - 3], CultureInfo.InvariantCulture);
        }
        return (ppid, sum);
    }
}
