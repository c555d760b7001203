using System.Globalization;
using Mirage.Edge.Bench;

// The Edge against direct, nginx (1 worker and auto) and a bare YARP forwarder; docs/performance.md has the commands.
// `serve yarp|edge --port P --upstream-port U [--routes N]` is how the bench starts its .NET proxies as children.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;

if (args is ["serve", var role, ..])
{
    var port = IntArgument(args, "--port");
    var upstream = IntArgument(args, "--upstream-port");
    using var sampler = args.Contains("--allocations") ? new AllocationSampler() : null;
    // SIGTERM stops the child gracefully, so the sampler can print what it saw.
    using var stop = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, e =>
    {
        e.Cancel = true;
        cancel.Cancel();
    });
    try
    {
        var stats = args.Contains("--stats-port") ? AllocationCounter.ServeAsync(IntArgument(args, "--stats-port"), ct) : Task.CompletedTask;
        await (role == "edge"
            ? BenchServers.RunEdgeAsync(port, upstream, IntArgument(args, "--routes"), args.Contains("--inline-scheduling"), args.Contains("--telemetry"), ct)
            : BenchServers.RunBareYarpAsync(port, upstream, ct));
        await stats;
    }
    catch (OperationCanceledException)
    {
        // Stopped.
    }
    sampler?.Print(Console.Out);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
foreach (var tool in new[] { Wrk.Path, Hey.Path, Nginx.Path })
{
    if (!File.Exists(tool))
    {
        Console.Error.WriteLine($"{tool} is missing; install wrk, hey and nginx (apt-get install wrk hey nginx)");
        return 2;
    }
}

var backendPort = Ports.Free();
await using var backend = await Nginx.StartBackendAsync(backendPort, ct);
if (options.Telemetry)
{
    return await TelemetryComparison.RunAsync(options, backendPort, ct);
}
var nginx1Port = Ports.Free();
await using var nginx1 = await Nginx.StartProxyAsync(nginx1Port, backendPort, "1", ct);
var nginxAutoPort = Ports.Free();
await using var nginxAuto = await Nginx.StartProxyAsync(nginxAutoPort, backendPort, "auto", ct);
var edgeEnvironment = options.DotnetEnvironment.Concat(options.EdgeEnvironment)
    .GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value);
var yarpPort = Ports.Free();
using var yarp = await ChildServer.StartAsync(ServeArgs("yarp", yarpPort), yarpPort, options.DotnetEnvironment, ct);
var edgePort = Ports.Free();
string[] edgeExtra = options.EdgeInlineScheduling ? ["--inline-scheduling"] : [];
using var edge = await ChildServer.StartAsync([.. ServeArgs("edge", edgePort), "--routes", "1", .. edgeExtra], edgePort, edgeEnvironment, ct);
var edge10kPort = Ports.Free();
using var edge10k = await ChildServer.StartAsync(
    [.. ServeArgs("edge", edge10kPort), "--routes", options.Routes.ToString(CultureInfo.InvariantCulture), .. edgeExtra], edge10kPort, edgeEnvironment, ct);

BenchTarget[] targets =
[
    new(BenchTarget.Direct, backendPort, null),
    new(BenchTarget.Nginx1, nginx1Port, nginx1.Pid),
    new(BenchTarget.NginxAuto, nginxAutoPort, nginxAuto.Pid),
    new(BenchTarget.BareYarp, yarpPort, yarp.Pid),
    new(BenchTarget.Edge, edgePort, edge.Pid),
    new(BenchTarget.Edge10k, edge10kPort, edge10k.Pid),
];

// Every target must serve the expected bodies before anything is timed: a run of error answers measures nothing.
using (var probe = new HttpClient())
{
    foreach (var target in targets)
    {
        foreach (var (path, length) in new[] { ("/small", 12), ("/large", 100 * 1024) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{target.Port}{path}");
            request.Headers.Host = BenchServers.TargetHost;
            using var response = await probe.SendAsync(request, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            if (!response.IsSuccessStatusCode || body.Length != length)
            {
                Console.Error.WriteLine($"{target.Name} answered {(int)response.StatusCode} with {body.Length} bytes for {path}; expected 200 with {length}");
                return 1;
            }
        }
    }
}

// Tiered JIT and the connection pools settle before anything is timed: every target, every body, once.
foreach (var target in targets)
{
    foreach (var cell in options.Cells().Where(c => c.Load == LoadKind.Saturation && c.KeepAlive))
    {
        await RunLoadAsync(target, cell, options.InitialWarmup);
    }
}

var report = new Report(options);
report.PrintHeader();
var started = TimeProvider.System.GetTimestamp();
foreach (var cell in options.Cells())
{
    var runs = targets.ToDictionary(t => t.Name, _ => new List<LoadResult>());
    var loads = new List<string>();
    for (var round = 0; round < options.Rounds; round++)
    {
        loads.Add(ProcessTreeCpu.LoadAverage());
        // Each round starts one target later, so no target always runs right after the same neighbour.
        for (var i = 0; i < targets.Length; i++)
        {
            var target = targets[(i + round) % targets.Length];
            runs[target.Name].Add(await MeasureAsync(target, cell));
        }
    }
    report.PrintCell(cell, runs, loads);
}
report.PrintGoals(TimeProvider.System.GetElapsedTime(started));
return 0;

async Task<LoadResult> MeasureAsync(BenchTarget target, Cell cell)
{
    await RunLoadAsync(target, cell, options.Warmup);
    var cpuBefore = target.Pid is { } before ? ProcessTreeCpu.Microseconds(before) : 0;
    var result = await RunLoadAsync(target, cell, options.Duration);
    if (target.Pid is not { } pid)
    {
        return result;
    }
    var cpu = ProcessTreeCpu.Microseconds(pid) - cpuBefore;
    return result with
    {
        CpuMicrosecondsPerRequest = result.Requests == 0 ? double.NaN : cpu / result.Requests,
        RssMegabytes = ProcessTreeCpu.RssMegabytes(pid),
    };
}

Task<LoadResult> RunLoadAsync(BenchTarget target, Cell cell, TimeSpan duration) =>
    cell.Load == LoadKind.Saturation
        ? Wrk.RunAsync(cell, target.Port, options.Connections, duration, ct)
        : Hey.RunAsync(cell, target.Port, options.Rate, duration, ct);

string[] ServeArgs(string role, int port) =>
    ["serve", role, "--port", port.ToString(CultureInfo.InvariantCulture), "--upstream-port", backendPort.ToString(CultureInfo.InvariantCulture)];

static int IntArgument(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value)
        ? value
        : throw new ArgumentException($"serve needs {name} N");
}
