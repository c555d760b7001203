using System.Runtime.InteropServices;

namespace Mirage.EndToEnd.Tests.Cluster;

/// <summary>SIGSTOP and SIGCONT: a process paused as a long GC pause or a frozen VM would pause it.</summary>
internal static class ProcessSignals
{
    private const int SigStop = 19;
    private const int SigCont = 18;

    public static void Pause(int pid) => Send(pid, SigStop);

    public static void Resume(int pid) => Send(pid, SigCont);

    private static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
