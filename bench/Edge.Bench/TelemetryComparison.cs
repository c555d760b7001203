using System.Globalization;

namespace Mirage.Edge.Bench;

/// <summary>
/// <c>--telemetry</c>: the Edge twice in one run, with telemetry off (no OpenTelemetry SDK, as with
/// <c>OTEL_SDK_DISABLED=true</c>) and on (the SDK as <c>mirage</c> wires it, <c>/metrics</c> scraped every
/// <see cref="ScrapeInterval"/>), in rotated order, printing req/s, CPU and bytes allocated per request side by side and
/// their ratio against the 3 % budget of issue 18.
/// </summary>
public static class TelemetryComparison
{
    public const string Off = "Edge, telemetry off";
    public const string On = "Edge, telemetry on, /metrics scraped";
    public static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(BenchOptions options, int backendPort, CancellationToken cancellationToken)
    {
        var environment = options.DotnetEnvironment.Concat(options.EdgeEnvironment).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        var offPort = Ports.Free();
        var offStats = Ports.Free();
        using var off = await ChildServer.StartAsync(ServeArgs(offPort, offStats, backendPort, telemetry: false), offPort,
            new Dictionary<string, string>(environment) { ["OTEL_SDK_DISABLED"] = "true" }, cancellationToken);
        var onPort = Ports.Free();
        var onStats = Ports.Free();
        using var on = await ChildServer.StartAsync(ServeArgs(onPort, onStats, backendPort, telemetry: true), onPort, environment, cancellationToken);
        Target[] targets = [new(Off, offPort, offStats, off.Pid), new(On, onPort, onStats, on.Pid)];

        using var client = new HttpClient();
        foreach (var target in targets)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{target.Port}/small");
            request.Headers.Host = BenchServers.TargetHost;
            using var response = await client.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"{target.Name} answered {(int)response.StatusCode} for /small");
                return 1;
            }
        }
        foreach (var target in targets)
        {
            foreach (var cell in options.Cells().Where(c => c.Load == LoadKind.Saturation && c.KeepAlive))
            {
                await RunLoadAsync(options, target.Port, cell, options.InitialWarmup, cancellationToken);
            }
        }

        using var stopScraping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var scraper = ScrapeAsync(client, onPort, stopScraping.Token);
        Console.WriteLine($"# Edge benchmark: telemetry off and on ({(options.Quick ? "quick" : "full")})");
        Console.WriteLine();
        Console.WriteLine($"{Environment.ProcessorCount} cores; load average {ProcessTreeCpu.LoadAverage()} at the start. Both Edges: 1 route, " +
                          $"{options.Duration.TotalSeconds:0} s per run after a {options.Warmup.TotalSeconds:0} s warm-up, {options.Rounds} rounds in rotated order, medians. " +
                          $"On: /metrics scraped every {ScrapeInterval.TotalSeconds:0} s throughout. Allocated: the child's GC.GetTotalAllocatedBytes over the run ÷ requests.");
        var verdicts = new List<string>();
        foreach (var cell in options.Cells())
        {
            var runs = targets.ToDictionary(t => t.Name, _ => new List<LoadResult>());
            for (var round = 0; round < options.Rounds; round++)
            {
                for (var i = 0; i < targets.Length; i++)
                {
                    var target = targets[(i + round) % targets.Length];
                    runs[target.Name].Add(await MeasureAsync(options, client, target, cell, cancellationToken));
                }
            }
            var medians = runs.ToDictionary(kv => kv.Key, kv => Report.Median(kv.Value));
            Console.WriteLine();
            Console.WriteLine($"## {cell}");
            Console.WriteLine();
            Console.WriteLine("| target | req/s | p50 ms | p99 ms | CPU µs/req | allocated B/req | RSS MB | errors |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (name, m) in medians)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {m.RequestsPerSecond:0} | {m.P50Ms:0.00} | {m.P99Ms:0.00} | {m.CpuMicrosecondsPerRequest:0.0} | {m.AllocatedBytesPerRequest:0} | {m.RssMegabytes:0} | {runs[name].Sum(r => r.Errors)} |"));
            }
            var (o, n) = (medians[Off], medians[On]);
            var verdict = string.Create(CultureInfo.InvariantCulture,
                $"on ÷ off: req/s {n.RequestsPerSecond / o.RequestsPerSecond:0.000}, CPU/req {n.CpuMicrosecondsPerRequest / o.CpuMicrosecondsPerRequest:0.000}, " +
                $"allocated/req {n.AllocatedBytesPerRequest - o.AllocatedBytesPerRequest:+0;-0} B");
            Console.WriteLine();
            Console.WriteLine($"- {verdict}");
            verdicts.Add($"| {cell} | {verdict} |");
        }
        await stopScraping.CancelAsync();
        var scrapes = await scraper;
        Console.WriteLine();
        Console.WriteLine("## Telemetry's cost, per cell");
        Console.WriteLine();
        Console.WriteLine("| cell | on ÷ off |");
        Console.WriteLine("|---|---|");
        verdicts.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine($"/metrics answered {scrapes} scrapes with the Edge's series. Budget (issue 18): on ÷ off req/s ≥ 0.97 " +
                          $"where the load is saturating; load average {ProcessTreeCpu.LoadAverage()} at the end.");
        return 0;
    }

    private static async Task<LoadResult> MeasureAsync(BenchOptions options, HttpClient client, Target target, Cell cell, CancellationToken cancellationToken)
    {
        await RunLoadAsync(options, target.Port, cell, options.Warmup, cancellationToken);
        var allocatedBefore = await AllocationCounter.ReadAsync(client, target.StatsPort, cancellationToken);
        var cpuBefore = ProcessTreeCpu.Microseconds(target.Pid);
        var result = await RunLoadAsync(options, target.Port, cell, options.Duration, cancellationToken);
        var cpu = ProcessTreeCpu.Microseconds(target.Pid) - cpuBefore;
        var allocated = await AllocationCounter.ReadAsync(client, target.StatsPort, cancellationToken) - allocatedBefore;
        return result with
        {
            CpuMicrosecondsPerRequest = result.Requests == 0 ? double.NaN : cpu / result.Requests,
            AllocatedBytesPerRequest = result.Requests == 0 ? double.NaN : (double)allocated / result.Requests,
            RssMegabytes = ProcessTreeCpu.RssMegabytes(target.Pid),
        };
    }

    // Scrapes as Prometheus would, through the web API host; each answer must carry the Edge's request series.
    private static async Task<int> ScrapeAsync(HttpClient client, int port, CancellationToken cancellationToken)
    {
        var scrapes = 0;
        using var timer = new PeriodicTimer(ScrapeInterval, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/metrics");
                request.Headers.Host = BenchServers.WebApiHost;
                using var response = await client.SendAsync(request, cancellationToken);
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (!response.IsSuccessStatusCode || !text.Contains("mirage_edge_requests", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"/metrics answered {(int)response.StatusCode} without the Edge's series:\n{text}");
                }
                scrapes++;
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped after the last cell.
        }
        return scrapes;
    }

    private static Task<LoadResult> RunLoadAsync(BenchOptions options, int port, Cell cell, TimeSpan duration, CancellationToken cancellationToken) =>
        cell.Load == LoadKind.Saturation
            ? Wrk.RunAsync(cell, port, options.Connections, duration, cancellationToken)
            : Hey.RunAsync(cell, port, options.Rate, duration, cancellationToken);

    private static string[] ServeArgs(int port, int statsPort, int backendPort, bool telemetry) =>
    [
        "serve", "edge", "--port", port.ToString(CultureInfo.InvariantCulture), "--upstream-port", backendPort.ToString(CultureInfo.InvariantCulture),
        "--routes", "1", "--stats-port", statsPort.ToString(CultureInfo.InvariantCulture), .. telemetry ? new[] { "--telemetry" } : [],
    ];

    private sealed record Target(string Name, int Port, int StatsPort, int Pid);
}
