using System.Globalization;
using System.Runtime.InteropServices;

namespace Mirage.Edge.Bench;

/// <summary>
/// Prints the run as Markdown: per cell, each target's medians over the rounds, then the ratios issue 16 asks for;
/// at the end, the goals cell by cell. Medians are taken per figure, each over the rounds.
/// </summary>
public sealed class Report(BenchOptions options)
{
    private readonly List<(Cell Cell, Dictionary<string, LoadResult> Medians)> _cells = [];

    public void PrintHeader()
    {
        Write($"# Edge benchmark ({(options.Quick ? "quick" : "full")})");
        Write("");
        Write($"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; " +
              $"load average {ProcessTreeCpu.LoadAverage()} at the start.");
        Write($"Saturation: wrk -t2 -c{options.Connections}; fixed rate: hey -c {Hey.Workers} -q {options.Rate / Hey.Workers} " +
              $"({options.Rate:N0} req/s). {options.Duration.TotalSeconds:0} s per run after a {options.Warmup.TotalSeconds:0} s warm-up, " +
              $"{options.Rounds} rounds, targets in rotated order, medians; " +
              $"every target had {options.InitialWarmup.TotalSeconds:0} s of load per body first.");
        if (options.EdgeInlineScheduling)
        {
            Write("Edge only: Kestrel's socket transport with UnsafePreferInlineScheduling.");
        }
        if (options.DotnetEnvironment.Count + options.EdgeEnvironment.Count > 0)
        {
            Write($"Environment: .NET proxies {Describe(options.DotnetEnvironment)}; Edge only {Describe(options.EdgeEnvironment)}.");
        }
        Write("CPU per request: user+sys of the proxy's process tree from /proc, divided by the requests answered.");
    }

    public void PrintCell(Cell cell, Dictionary<string, List<LoadResult>> runs, IReadOnlyList<string> loads)
    {
        var medians = runs.ToDictionary(kv => kv.Key, kv => Median(kv.Value));
        _cells.Add((cell, medians));
        Write("");
        Write($"## {cell}");
        Write("");
        Write($"Load average at each round: {string.Join(", ", loads)}.");
        Write("");
        Write("| target | req/s | p50 ms | p99 ms | CPU µs/req | RSS MB | errors |");
        Write("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, m) in medians)
        {
            Write($"| {name} | {m.RequestsPerSecond:0} | {m.P50Ms:0.00} | {m.P99Ms:0.00} | {Num(m.CpuMicrosecondsPerRequest, "0.0")} | {Num(m.RssMegabytes, "0")} | {runs[name].Sum(r => r.Errors)} |");
        }
        Write("");
        var direct = medians[BenchTarget.Direct];
        foreach (var edgeName in new[] { BenchTarget.Edge, BenchTarget.Edge10k })
        {
            var edge = medians[edgeName];
            Write($"- {edgeName}: CPU/req ÷ bare YARP {Ratio(edge, medians[BenchTarget.BareYarp], Cpu)}, " +
                  $"÷ nginx (1 worker) {Ratio(edge, medians[BenchTarget.Nginx1], Cpu)}, ÷ nginx (auto) {Ratio(edge, medians[BenchTarget.NginxAuto], Cpu)}; " +
                  $"req/s ÷ bare YARP {Ratio(edge, medians[BenchTarget.BareYarp], Rps)}, ÷ nginx (1 worker) {Ratio(edge, medians[BenchTarget.Nginx1], Rps)}; " +
                  $"added over direct p50 {edge.P50Ms - direct.P50Ms:+0.00;-0.00} ms, p99 {edge.P99Ms - direct.P99Ms:+0.00;-0.00} ms");
        }
    }

    public void PrintGoals(TimeSpan elapsed)
    {
        Write("");
        Write("## Goals (issue 16), per cell");
        Write("");
        Write("| cell | Edge ÷ bare YARP CPU/req (1 / 10,000 routes) ≤ 1.05 | Edge ÷ nginx (1 worker) CPU/req ≤ 1.6 | Edge ÷ nginx (1 worker) req/s ≥ 0.8 at saturation | Edge p99 − nginx p99 ≤ 1 ms at the fixed rate | Edge RSS ≤ 150 MB |");
        Write("|---|---|---|---|---|---|");
        foreach (var (cell, m) in _cells)
        {
            var edge = m[BenchTarget.Edge];
            var edge10k = m[BenchTarget.Edge10k];
            var nginx = m[BenchTarget.Nginx1];
            var rps = cell.Load == LoadKind.Saturation ? Ratio(edge, nginx, Rps) : "—";
            var p99 = cell.Load == LoadKind.FixedRate ? $"{edge.P99Ms - nginx.P99Ms:+0.00;-0.00} ms" : "—";
            Write($"| {cell} | {Ratio(edge, m[BenchTarget.BareYarp], Cpu)} / {Ratio(edge10k, m[BenchTarget.BareYarp], Cpu)} | {Ratio(edge, nginx, Cpu)} | {rps} | {p99} | {Num(Math.Max(edge.RssMegabytes, edge10k.RssMegabytes), "0")} |");
        }
        Write("");
        Write($"Ran {elapsed.TotalMinutes:0.0} minutes; load average {ProcessTreeCpu.LoadAverage()} at the end.");
    }

    private static double Cpu(LoadResult r) => r.CpuMicrosecondsPerRequest;

    private static double Rps(LoadResult r) => r.RequestsPerSecond;

    private static string Ratio(LoadResult a, LoadResult b, Func<LoadResult, double> figure) => Num(figure(a) / figure(b), "0.00");

    /// <summary>The medians of the rounds, figure by figure; the largest RSS.</summary>
    public static LoadResult Median(List<LoadResult> runs) =>
        new((long)Median(runs, r => r.Requests), Median(runs, r => r.RequestsPerSecond), Median(runs, r => r.P50Ms), Median(runs, r => r.P99Ms), runs.Sum(r => r.Errors))
        {
            CpuMicrosecondsPerRequest = Median(runs, r => r.CpuMicrosecondsPerRequest),
            AllocatedBytesPerRequest = Median(runs, r => r.AllocatedBytesPerRequest),
            RssMegabytes = runs.Max(r => r.RssMegabytes),
        };

    private static double Median<T>(List<LoadResult> runs, Func<LoadResult, T> figure) where T : IConvertible
    {
        var sorted = runs.Select(r => Convert.ToDouble(figure(r), CultureInfo.InvariantCulture)).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Num(double value, string format) => double.IsNaN(value) ? "—" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Describe(IReadOnlyDictionary<string, string> variables) =>
        variables.Count == 0 ? "none" : string.Join(" ", variables.Select(kv => $"{kv.Key}={kv.Value}"));

    private static void Write(string line) => Console.WriteLine(line);
}
