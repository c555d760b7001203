using System.Globalization;

namespace Mirage.LocalEcs.Processes;

/// <summary>Reads process facts from /proc (Linux only): identity, CPU, memory, I/O, and the members of a session.</summary>
internal static class ProcFs
{
    public static ProcStat? TryReadStat(int pid)
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
        return ParseStat(text);
    }

    /// <summary>Parses a stat line; the command name may hold spaces and parentheses, so fields are counted after the last ')'.</summary>
    internal static ProcStat? ParseStat(string text)
    {
        var close = text.LastIndexOf(')');
        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (close < 0 || open < 0 || !int.TryParse(text.AsSpan(0, open).Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }
        // Fields after the name start at field 3 (state); index 0 here is field 3.
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20)
        {
            return null;
        }
        return new ProcStat(
            pid,
            fields[0][0],
            Int(fields[1]),
            Int(fields[2]),
            Int(fields[3]),
            Long(fields[11]),
            Long(fields[12]),
            Int(fields[17]),
            Long(fields[19]));
    }

    /// <summary>True while the process with this pid is the one started at <paramref name="startTicks"/> and has not exited.</summary>
    public static bool IsAlive(int pid, long startTicks) =>
        TryReadStat(pid) is { } stat && stat.StartTicks == startTicks && !stat.HasExited;

    /// <summary>Live processes whose session id is <paramref name="sessionId"/>: a container's process and its children.</summary>
    public static IReadOnlyList<ProcStat> SessionMembers(int sessionId)
    {
        var members = new List<ProcStat>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]) || !int.TryParse(name, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            if (TryReadStat(pid) is { } stat && stat.SessionId == sessionId && !stat.HasExited)
            {
                members.Add(stat);
            }
        }
        return members;
    }

    /// <summary>
    /// Live session leaders (container processes; their children share the session) whose environment has a variable
    /// <paramref name="name"/> whose value ends with <paramref name="valueSuffix"/>.
    /// </summary>
    public static IReadOnlyList<ProcStat> FindLeadersByEnvironment(string name, string valueSuffix)
    {
        var found = new List<ProcStat>();
        var prefix = name + "=";
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid) ||
                TryReadStat(pid) is not { } stat || stat.HasExited || stat.SessionId != pid)
            {
                continue;
            }
            try
            {
                var environment = File.ReadAllText(Path.Combine(directory, "environ")).Split('\0');
                if (environment.Any(e => e.StartsWith(prefix, StringComparison.Ordinal) && e.EndsWith(valueSuffix, StringComparison.Ordinal)))
                {
                    found.Add(stat);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours to read.
            }
        }
        return found;
    }

    /// <summary>Resident and peak resident memory in bytes (VmRSS, VmHWM).</summary>
    public static (long Resident, long Peak) ReadMemory(int pid)
    {
        long resident = 0, peak = 0;
        foreach (var line in ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                resident = KiloBytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = KiloBytes(line);
            }
        }
        return (resident, peak);
    }

    /// <summary>Bytes read from and written to storage (0 when /proc/PID/io is not readable).</summary>
    public static (long Read, long Written) ReadIo(int pid)
    {
        long read = 0, written = 0;
        foreach (var line in ReadLines($"/proc/{pid}/io"))
        {
            if (line.StartsWith("read_bytes:", StringComparison.Ordinal))
            {
                read = Long(line["read_bytes:".Length..].Trim());
            }
            else if (line.StartsWith("write_bytes:", StringComparison.Ordinal))
            {
                written = Long(line["write_bytes:".Length..].Trim());
            }
        }
        return (read, written);
    }

    /// <summary>Total CPU time of the machine in clock ticks (first line of /proc/stat).</summary>
    public static long SystemCpuTicks()
    {
        var first = ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        return first is null ? 0 : first[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Sum(Long);
    }

    /// <summary>Boot time as Unix seconds (btime in /proc/stat), to turn start ticks into a timestamp.</summary>
    public static long BootTimeUnixSeconds()
    {
        var line = ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("btime ", StringComparison.Ordinal));
        return line is null ? 0 : Long(line[6..].Trim());
    }

    public static long MemTotalBytes()
    {
        var line = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return line is null ? 0 : KiloBytes(line);
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static long KiloBytes(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 ? Long(parts[1]) * 1024 : 0;
    }

    private static int Int(string text) => int.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static long Long(string text) => long.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
