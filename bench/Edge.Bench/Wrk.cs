using System.Globalization;
using System.Text.RegularExpressions;

namespace Mirage.Edge.Bench;

/// <summary>Saturation load: /usr/bin/wrk with two threads against a loopback URL, and its summary read back.</summary>
public static partial class Wrk
{
    public const string Path = "/usr/bin/wrk";

    public static async Task<LoadResult> RunAsync(Cell cell, int port, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        List<string> args = ["-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "-H", $"Host: {cell.Host}"];
        if (!cell.KeepAlive)
        {
            // The server closes after each answer and wrk opens a new connection for the next request.
            args.AddRange(["-H", "Connection: close"]);
        }
        args.Add($"http://127.0.0.1:{port}{cell.Path}");
        var output = await Tool.RunAsync(Path, args, cancellationToken);

        var requests = long.Parse(TotalRequests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        long errors = 0;
        if (SocketErrors().Match(output) is { Success: true } socketErrors)
        {
            errors += socketErrors.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture));
        }
        if (Non2xx().Match(output) is { Success: true } non2xx)
        {
            errors += long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        return new LoadResult(requests, rps, Percentile(output, "50"), Percentile(output, "99"), errors);
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

    [GeneratedRegex(@"(\d+) requests in", RegexOptions.CultureInvariant)]
    private static partial Regex TotalRequests();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Non2xx();
}
