using System.Runtime.InteropServices;

namespace Mirage.LocalEcs.Processes;

/// <summary>The two libc calls .NET has no API for: signalling a process group with a chosen signal, and the clock tick rate.</summary>
internal static partial class Posix
{
    public const int SigTerm = 15;
    public const int SigKill = 9;
    private const int ScClkTck = 2;

    /// <summary>Sends <paramref name="signal"/> to every process in the group led by <paramref name="groupId"/>; false when none is left.</summary>
    public static bool SignalGroup(int groupId, int signal) => groupId > 1 && Kill(-groupId, signal) == 0;

    public static long ClockTicksPerSecond()
    {
        var ticks = SysConf(ScClkTck);
        return ticks > 0 ? ticks : 100;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
