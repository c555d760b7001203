using System.Diagnostics;

namespace Mirage.Edge.Bench;

/// <summary>
/// This bench executable started again as <c>serve yarp|edge</c>, in its own process; stopped by its own PID.
/// </summary>
public sealed class ChildServer(Process process) : IDisposable
{
    public int Pid => process.Id;

    /// <param name="environment">Runtime settings (GC, thread pool) for the experiment at hand.</param>
    public static async Task<ChildServer> StartAsync(IEnumerable<string> args, int port,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        // Its start-up lines would land in the middle of the report; its errors still show.
        var start = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            // Started as `dotnet Mirage.Edge.Bench.dll`: run the same assembly again.
            start.ArgumentList.Add(typeof(ChildServer).Assembly.Location);
        }
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {self}");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var child = new ChildServer(process);
        try
        {
            await Ports.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            child.Dispose();
            throw;
        }
        return child;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
        process.Dispose();
    }
}
