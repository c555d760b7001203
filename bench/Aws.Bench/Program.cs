using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mirage.Aws.Bench;
using Mirage.TestKit;
using Mirage.TestKit.Aws;

// Mirage on AWS at scale (issue 13): moto behind a counting proxy, a real `mirage` process in AWS mode.
// dotnet run -c Release --project bench/Aws.Bench [-- --environments 100,1000 --idle-seconds 60 --watch both|on|off]
// dotnet run -c Release --project bench/Aws.Bench -- --replicas 3 --environments 200 --idle-seconds 60
var sizes = Option("--environments", "100,1000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
var idle = TimeSpan.FromSeconds(int.Parse(Option("--idle-seconds", "60"), CultureInfo.InvariantCulture));
var watches = Option("--watch", "both") switch
{
    "on" => new[] { true },
    "off" => new[] { false },
    _ => new[] { false, true },
};
await using var moto = await MotoServer.StartAsync(CancellationToken.None);
await using var proxy = await FaultProxy.StartAsync(moto.Endpoint, enforceEcsLimits: true);
using var calls = new MotoCalls(moto.Endpoint);

// Several replicas (issue 15): AWS calls per replica per minute, each replica behind its own counting proxy.
if (args.Contains("--replicas"))
{
    var replicaCount = int.Parse(Option("--replicas", "3"), CultureInfo.InvariantCulture);
    var environments = int.Parse(Option("--environments", "200"), CultureInfo.InvariantCulture);
    await ReplicaBench.RunAsync(moto, calls, replicaCount, environments, idle);
    return 0;
}

Console.WriteLine($"Mirage at scale against moto; idle window {idle.TotalSeconds:F0} s");
Console.WriteLine();
Console.WriteLine("| n | watch | launch via API | all Running after first launch | ECS calls in idle window (by operation) | /api/list p50 / p95 ms | RSS MB | CPU % idle | change seen |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
foreach (var n in sizes)
{
    foreach (var watch in watches)
    {
        Console.WriteLine(await RunAsync(n, watch));
    }
}
return 0;

async Task<string> RunAsync(int n, bool watch)
{
    await moto.ResetAsync(CancellationToken.None);
    await moto.KeepEcsTasksRunningAsync(CancellationToken.None);
    var (subnet, group) = await calls.SetUpClusterAsync();
    var queueUrl = watch ? (await calls.SqsAsync("CreateQueue", new JsonObject { ["QueueName"] = "mirage-ecs-events" }))["QueueUrl"]!.GetValue<string>() : "";
    var config = $$"""
        host:
          webapi: {{MirageProcess.WebHost}}
        listen:
          foreign_address: 127.0.0.1
          http:
            - listen: {port}
              target: 80
        local:
          data_dir: {dataDir}
        ecs:
          region: us-east-1
          cluster: mirage
          launch_type: FARGATE
          network_configuration:
            awsvpc_configuration:
              subnets: [{{subnet}}]
              security_groups: [{{group}}]
          events_queue_url: "{{queueUrl}}"

        """;
    await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions
    {
        ConfigText = config,
        Arguments = [],
        Environment = AwsModeMirage.Environment(proxy.Endpoint),
    }, CancellationToken.None);

    var launch = Stopwatch.StartNew();
    for (var i = 0; i < n; i++)
    {
        using var response = await mirage.PostApiAsync("/api/launch", new { subdomain = $"env-{i:0000}", branch = "main", taskdef = new[] { "web" } }, CancellationToken.None);
        response.EnsureSuccessStatusCode();
    }
    var launched = launch.Elapsed;
    while (RunningRows(await mirage.GetJsonAsync("/api/list", CancellationToken.None)) < n)
    {
        if (launch.Elapsed > TimeSpan.FromMinutes(15))
        {
            throw new TimeoutException($"{n} environments not Running after 15 minutes");
        }
        await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System);
    }
    var routed = launch.Elapsed;

    // Let the passes that followed the launches finish before the idle window.
    await Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System);
    proxy.TakeCalls();
    var cpuBefore = CpuTicks(mirage.ProcessId);
    await Task.Delay(idle, TimeProvider.System);
    var cpu = (CpuTicks(mirage.ProcessId) - cpuBefore) / 100.0 / idle.TotalSeconds * 100;
    var idleCalls = proxy.TakeCalls();
    var ecs = string.Join(", ", idleCalls.Where(c => c.Key.StartsWith("ECS ", StringComparison.Ordinal)).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key[4..]}"));
    var ecsTotal = idleCalls.Where(c => c.Key.StartsWith("ECS ", StringComparison.Ordinal)).Sum(c => c.Value);
    var sqs = idleCalls.Where(c => c.Key.StartsWith("SQS ", StringComparison.Ordinal)).Sum(c => c.Value);

    var latencies = new List<double>();
    for (var i = 0; i < 30; i++)
    {
        var one = Stopwatch.StartNew();
        await mirage.GetJsonAsync("/api/list", CancellationToken.None);
        latencies.Add(one.Elapsed.TotalMilliseconds);
    }
    latencies.Sort();
    var rss = RssMegabytes(mirage.ProcessId);

    var change = watch ? $"{await ChangeSeenAsync(mirage, queueUrl):F0} ms" : "next resync";
    return $"| {n} | {(watch ? "on" : "off")} | {launched.TotalSeconds:F1} s | {routed.TotalSeconds:F1} s | {ecsTotal}{(ecs.Length > 0 ? $" ({ecs})" : "")}{(sqs > 0 ? $"; {sqs} SQS" : "")} | " +
           $"{latencies[latencies.Count / 2]:F1} / {latencies[(int)(latencies.Count * 0.95)]:F1} | {rss} | {cpu:F1} | {change} |";
}

// Stops one task in moto and puts its real-shaped event on the queue; time until /api/list shows its replacement.
async Task<double> ChangeSeenAsync(MirageProcess mirage, string queueUrl)
{
    var list = await mirage.GetJsonAsync("/api/list", CancellationToken.None);
    var first = list.GetProperty("result")[0];
    var arn = first.GetProperty("id").GetString()!;
    var subdomain = first.GetProperty("subdomain").GetString()!;
    await calls.EcsAsync("StopTask", new JsonObject { ["cluster"] = "mirage", ["task"] = arn, ["reason"] = "benchmark" });
    var described = await calls.EcsAsync("DescribeTasks", new JsonObject { ["cluster"] = "mirage", ["tasks"] = new JsonArray(arn) });
    var clock = Stopwatch.StartNew();
    await calls.SqsAsync("SendMessage", new JsonObject { ["QueueUrl"] = queueUrl, ["MessageBody"] = EcsTaskStateChange.For(described["tasks"]![0]!, 99) });
    while (clock.Elapsed < TimeSpan.FromMinutes(2))
    {
        var rows = (await mirage.GetJsonAsync("/api/list", CancellationToken.None)).GetProperty("result").EnumerateArray();
        if (rows.Any(r => r.GetProperty("subdomain").GetString() == subdomain && r.GetProperty("id").GetString() != arn && r.GetProperty("last_status").GetString() == "RUNNING"))
        {
            return clock.Elapsed.TotalMilliseconds;
        }
        await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
    }
    return double.NaN;
}

static int RunningRows(JsonElement list) =>
    list.GetProperty("result").EnumerateArray().Count(r => r.TryGetProperty("state", out var s) && s.GetString() == "Running");

static long CpuTicks(int pid)
{
    var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
}

static long RssMegabytes(int pid)
{
    var line = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}

string Option(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
