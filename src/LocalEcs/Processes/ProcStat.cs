namespace Mirage.LocalEcs.Processes;

/// <summary>The fields of <c>/proc/PID/stat</c> LocalEcs uses (times in clock ticks).</summary>
internal sealed record ProcStat(int Pid, char State, int ParentPid, int GroupId, int SessionId, long UserTicks, long SystemTicks, int Threads, long StartTicks)
{
    /// <summary>Zombie or dead: the process has exited even if its entry is still there.</summary>
    public bool HasExited => State is 'Z' or 'X' or 'x';
}
