using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Mirage.TestKit;
using Mirage.TestKit.Aws;

namespace Mirage.Aws.Bench;

/// <summary>
/// Several `mirage` replicas sharing one intent bucket and one lease, each behind its own counting proxy: launches n
/// environments (round-robin over the replicas), waits until every replica routes all of them, then counts each
/// replica's AWS calls in an idle window.
/// </summary>
public static class ReplicaBench
{
    public static async Task RunAsync(MotoServer moto, MotoCalls calls, int replicas, int environments, TimeSpan idle)
    {
        await moto.ResetAsync(CancellationToken.None);
        await moto.KeepEcsTasksRunningAsync(CancellationToken.None);
        var (subnet, group) = await calls.SetUpClusterAsync();
        await calls.CreateBucketAsync("mirage-state");
        await calls.DynamoDbAsync("CreateTable", JsonNode.Parse("""
            {"TableName":"mirage-lease","AttributeDefinitions":[{"AttributeName":"name","AttributeType":"S"}],
             "KeySchema":[{"AttributeName":"name","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}
            """)!.AsObject());
        var config = AwsModeMirage.Config("mirage", subnet, group, "cluster:\n  lease_table: mirage-lease\n");

        var proxies = new List<FaultProxy>();
        var processes = new List<MirageProcess>();
        try
        {
            for (var i = 0; i < replicas; i++)
            {
                var proxy = await FaultProxy.StartAsync(moto.Endpoint, enforceEcsLimits: true);
                proxies.Add(proxy);
                processes.Add(await MirageProcess.StartAsync(new MirageProcessOptions
                {
                    ConfigText = config,
                    Arguments = [],
                    ReadyPath = "/api/cluster",
                    Environment = new Dictionary<string, string>(AwsModeMirage.Environment(proxy.Endpoint)) { ["MIRAGE_REPLICA_ID"] = $"replica-{i + 1}" },
                }, CancellationToken.None));
            }

            var launch = Stopwatch.StartNew();
            for (var i = 0; i < environments; i++)
            {
                using var response = await processes[i % replicas].PostApiAsync("/api/launch",
                    new { subdomain = $"env-{i:0000}", branch = "main", taskdef = new[] { "web" } }, CancellationToken.None);
                response.EnsureSuccessStatusCode();
            }
            await Eventually.HoldsAsync(
                async () =>
                {
                    foreach (var process in processes)
                    {
                        var routes = (await process.GetJsonAsync("/api/cluster", CancellationToken.None)).GetProperty("routes").GetProperty("count").GetInt32();
                        if (routes < environments)
                        {
                            return false;
                        }
                    }
                    return true;
                },
                TimeSpan.FromMinutes(15), () => $"not every replica routes {environments} environments", CancellationToken.None, TimeSpan.FromMilliseconds(500));
            var routed = launch.Elapsed;

            // Let the passes that followed the launches finish before the idle window.
            await Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System);
            foreach (var proxy in proxies)
            {
                proxy.TakeCalls();
            }
            await Task.Delay(idle, TimeProvider.System);
            var perMinute = 60 / idle.TotalSeconds;

            Console.WriteLine($"{replicas} replicas, {environments} environments routed by all {routed.TotalSeconds:F1} s after the first launch; AWS calls per replica per minute (idle window {idle.TotalSeconds:F0} s)");
            Console.WriteLine();
            Console.WriteLine("| replica | role | calls per minute | by operation |");
            Console.WriteLine("|---|---|---|---|");
            for (var i = 0; i < replicas; i++)
            {
                var counts = proxies[i].TakeCalls();
                var leads = (await processes[i].GetJsonAsync("/api/cluster", CancellationToken.None)).GetProperty("isLeader").GetBoolean();
                var total = counts.Values.Sum() * perMinute;
                var byOperation = string.Join(", ", counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
                    .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Value * perMinute:0.#} {c.Key}")));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| replica-{i + 1} | {(leads ? "leader" : "follower")} | {total:0.#} | {byOperation} |"));
            }
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
            foreach (var proxy in proxies)
            {
                await proxy.DisposeAsync();
            }
        }
    }
}
