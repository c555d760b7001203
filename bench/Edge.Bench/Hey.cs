using System.Globalization;
using System.Text.RegularExpressions;

namespace Mirage.Edge.Bench;

/// <summary>
/// Fixed-rate load: /usr/bin/hey with 50 workers of 100 requests/s each (5,000 req/s in all), as issue 16 measured it.
/// wrk has no fixed rate; hey's workers wait for each answer, so a target slower than the rate shows as fewer req/s.
/// </summary>
public static partial class Hey
{
    public const string Path = "/usr/bin/hey";
    public const int Workers = 50;

    public static async Task<LoadResult> RunAsync(Cell cell, int port, int rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        List<string> args = ["-z", $"{(int)duration.TotalSeconds}s", "-c", Workers.ToString(CultureInfo.InvariantCulture),
            "-q", (rate / Workers).ToString(CultureInfo.InvariantCulture), "-host", cell.Host];
        if (!cell.KeepAlive)
        {
            args.Add("-disable-keepalive");
        }
        args.Add($"http://127.0.0.1:{port}{cell.Path}");
        var output = await Tool.RunAsync(Path, args, cancellationToken);

        long ok = 0;
        long errors = 0;
        foreach (Match status in StatusCount().Matches(output))
        {
            var count = long.Parse(status.Groups[2].Value, CultureInfo.InvariantCulture);
            if (status.Groups[1].Value == "200")
            {
                ok += count;
            }
            else
            {
                errors += count;
            }
        }
        foreach (Match error in ErrorCount().Matches(output))
        {
            errors += long.Parse(error.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        return new LoadResult(ok + errors, rps, Percentile(output, "50"), Percentile(output, "99"), errors);
    }

    private static double Percentile(string output, string percent)
    {
        var match = Regex.Match(output, $@"^\s+{percent}% in ([\d.]+) secs", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        return match.Success
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * 1000
            : throw new InvalidOperationException($"no {percent}% latency in hey output:\n{output}");
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"^\s+\[(\d+)\]\s+(\d+) responses", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex StatusCount();

    // Error distribution lines: "  [12]	Get ...: dial tcp ...".
    [GeneratedRegex(@"^\s+\[(\d+)\]\s+(?!\d+ responses)\S", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ErrorCount();
}
