using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Mirage.Edge.Bench;
using Mirage.Model.Routing;

// One run: direct, through the Edge, through nginx; then the Edge with 1, 1,000 and 10,000 routes.
// Usage: dotnet run -c Release --project bench/Edge.Bench [-- --duration 5 --connections 64]
var duration = TimeSpan.FromSeconds(IntOption(args, "--duration", 5));
var connections = IntOption(args, "--connections", 64);
var warmup = TimeSpan.FromSeconds(3);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;

foreach (var tool in new[] { Wrk.Path, NginxProxy.Path })
{
    if (!File.Exists(tool))
    {
        Console.Error.WriteLine($"{tool} is missing; install wrk and nginx (apt-get install wrk nginx)");
        return 2;
    }
}

var backendPort = Ports.Free();
var edgePort = Ports.Free();
var nginxPort = Ports.Free();
await using var backend = await BenchServers.StartBackendAsync(backendPort, ct);
await using var edge = await BenchServers.StartEdgeAsync(edgePort, ct);
await using var nginx = await NginxProxy.StartAsync(nginxPort, backendPort, ct);
var publisher = edge.Services.GetRequiredService<RouteTablePublisher>();
BenchServers.PublishRoutes(publisher, 1, backendPort, out var host);

Console.WriteLine($"wrk -t2 -c{connections}, {duration.TotalSeconds:0} s per run after a {warmup.TotalSeconds:0} s warm-up; {Environment.ProcessorCount} cores");
var direct = await MeasureAsync("direct", backendPort, host);
var viaEdge = await MeasureAsync("edge", edgePort, host);
var viaNginx = await MeasureAsync("nginx", nginxPort, host);

Console.WriteLine();
Console.WriteLine($"{"target",-16} {"req/s",10} {"p50 ms",8} {"p99 ms",8} {"errors",7}");
foreach (var r in new[] { direct, viaEdge, viaNginx })
{
    Print(r);
}
Console.WriteLine($"edge/nginx req/s: {viaEdge.RequestsPerSecond / viaNginx.RequestsPerSecond:0.00}");
Console.WriteLine($"edge/direct req/s: {viaEdge.RequestsPerSecond / direct.RequestsPerSecond:0.00}");
Console.WriteLine($"edge added p99: {viaEdge.P99Ms - direct.P99Ms:0.00} ms (p50 {viaEdge.P50Ms - direct.P50Ms:0.00} ms)");

Console.WriteLine();
var scaling = new List<WrkResult>();
foreach (var count in new[] { 1, 1_000, 10_000 })
{
    BenchServers.PublishRoutes(publisher, count, backendPort, out host);
    scaling.Add(await MeasureAsync($"edge {count} routes", edgePort, host));
}
Console.WriteLine($"{"routes",-16} {"req/s",10} {"p50 ms",8} {"p99 ms",8} {"errors",7}");
foreach (var r in scaling)
{
    Print(r);
}
Console.WriteLine($"10,000 routes / 1 route req/s: {scaling[2].RequestsPerSecond / scaling[0].RequestsPerSecond:0.00}");
return 0;

async Task<WrkResult> MeasureAsync(string name, int port, string requestHost)
{
    await Wrk.RunAsync(name, port, requestHost, connections, warmup, ct);
    var result = await Wrk.RunAsync(name, port, requestHost, connections, duration, ct);
    Console.WriteLine($"  measured {name}");
    return result;
}

static void Print(WrkResult r) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Name,-16} {r.RequestsPerSecond,10:0} {r.P50Ms,8:0.00} {r.P99Ms,8:0.00} {r.Errors,7}"));

static int IntOption(string[] args, string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
