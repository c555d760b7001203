using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Mirage.Edge.Bench;

/// <summary>Runs /usr/bin/wrk against a loopback URL and reads its summary.</summary>
public static partial class Wrk
{
    public const string Path = "/usr/bin/wrk";

    public static async Task<WrkResult> RunAsync(string name, int port, string host, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "-H", $"Host: {host}", $"http://127.0.0.1:{port}/" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Path}");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {errors}{output}");
        }

        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var socketErrors = SocketErrors().Match(output);
        var non2xx = Non2xx().Match(output);
        long errorCount = 0;
        if (socketErrors.Success)
        {
            errorCount += socketErrors.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture));
        }
        if (non2xx.Success)
        {
            errorCount += long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        return new WrkResult(name, rps, Percentile(output, "50"), Percentile(output, "99"), errorCount);
    }

    private static double Percentile(string output, string percent)
    {
        var match = Regex.Match(output, $@"^\s+{percent}(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        if (!match.Success)
        {
            throw new InvalidOperationException($"no {percent}% latency in wrk output:\n{output}");
        }
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "s" => value * 1000,
            _ => value,
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Non2xx();
}
