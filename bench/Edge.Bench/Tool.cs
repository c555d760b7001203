using System.Diagnostics;

namespace Mirage.Edge.Bench;

/// <summary>Runs a load generator to its end and returns its output; a non-zero exit is an error.</summary>
public static class Tool
{
    public static async Task<string> RunAsync(string path, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {path}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{path} failed ({process.ExitCode}): {await errors}{await output}");
        }
        return await output;
    }
}
