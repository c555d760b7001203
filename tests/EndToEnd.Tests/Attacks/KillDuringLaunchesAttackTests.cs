using System.Net;
using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Attacks;

/// <summary>
/// Issue 12, durability: kill -9 a real mirage while 100 launches are in flight, restart it on the same data
/// directory, and check what an operator relies on: every launch answered 200 is still an intent, and no environment
/// runs twice (counted in /proc, not taken from mirage's word).
/// </summary>
public sealed class KillDuringLaunchesAttackTests : IDisposable
{
    // At most this many launches; the kill comes long before the last.
    private const int Launches = 1000;

    // How many launches are in flight at any time.
    private const int Senders = 16;

    // Killed once this many launches were answered 200.
    private const int KillAfterAnswers = 10;

    private readonly string _folder = Directory.CreateTempSubdirectory("mirage-attack-8-kill-").FullName;
    private readonly string _mark = Guid.NewGuid().ToString("N");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        MarkedProcesses.KillAll(_mark);
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Every_launch_answered_200_survives_a_kill_9_and_no_environment_runs_twice()
    {
        var definitions = Path.Combine(_folder, "task-definitions");
        Directory.CreateDirectory(definitions);
        await File.WriteAllTextAsync(Path.Combine(definitions, "sleeper.json"), SleeperTaskDefinition.Json(_mark), Token);
        var options = new MirageProcessOptions { DataDir = Path.Combine(_folder, "data"), TaskDefinitions = definitions };

        var killed = await MirageProcess.StartAsync(options, Token);
        MirageProcess? restarted = null;
        try
        {
            var (answeredOk, inFlightAtKill) = await LaunchAndKillAsync(killed);
            Assert.True(inFlightAtKill > 0, killed.Explain("no launch was in flight at the kill"));
            Assert.True(answeredOk.Count >= KillAfterAnswers, killed.Explain($"only {answeredOk.Count} launches answered 200"));

            restarted = await MirageProcess.StartAsync(killed.Options, Token);
            var intents = await IntentsAsync(restarted);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{inFlightAtKill} launches in flight at the kill; {answeredOk.Count} answered 200; {intents.Count} intents after the restart");
            var lost = answeredOk.Where(s => !intents.Contains(s)).ToList();
            Assert.True(lost.Count == 0, restarted.Explain($"launches answered 200 but gone after the restart: {string.Join(", ", lost)}"));

            // Every intent's environment has its task running (the sleeper has no port, so no route and no Ready), then
            // what runs is counted.
            await WaitAllRunningAsync(restarted, intents);
            var perSubdomain = MarkedProcesses.Find(_mark).GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Count());
            var twice = perSubdomain.Where(kv => kv.Value > 1).Select(kv => $"{kv.Key} ×{kv.Value}").ToList();
            Assert.True(twice.Count == 0, restarted.Explain($"environments running more than one task: {string.Join(", ", twice)}"));
            Assert.All(intents, s => Assert.True(perSubdomain.GetValueOrDefault(s) == 1, restarted.Explain($"{s} runs {perSubdomain.GetValueOrDefault(s)} tasks")));
            var rows = (await restarted.GetJsonAsync("/api/list", Token)).GetProperty("result").EnumerateArray()
                .GroupBy(r => r.GetProperty("subdomain").GetString()!).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(rows.Count == 0, restarted.Explain($"/api/list shows more than one task for: {string.Join(", ", rows)}"));
            Assert.False(restarted.HasExited);
        }
        finally
        {
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }
            await killed.DisposeAsync();
        }
    }

    // Keeps Senders launches in flight at all times (without wait) and kills mirage once KillAfterAnswers of them were
    // answered 200, so the kill always lands on launches in flight however fast the machine answers.
    private static async Task<(IReadOnlyList<string> AnsweredOk, int InFlightAtKill)> LaunchAndKillAsync(MirageProcess mirage)
    {
        var ok = new System.Collections.Concurrent.ConcurrentBag<string>();
        var next = -1;
        var inFlight = 0;
        var killing = false;
        var enoughAnswers = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var client = mirage.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        var senders = Enumerable.Range(0, Senders).Select(async _ =>
        {
            int i;
            while (!Volatile.Read(ref killing) && (i = Interlocked.Increment(ref next)) < Launches)
            {
                var subdomain = $"burst-{i:D3}";
                Interlocked.Increment(ref inFlight);
                try
                {
                    using var response = await client.PostAsync("/api/launch", JsonContent(subdomain), Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        ok.Add(subdomain);
                    }
                }
                catch (HttpRequestException)
                {
                    // Cut off by the kill: not answered, so nothing was promised.
                    return;
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
                if (ok.Count >= KillAfterAnswers)
                {
                    enoughAnswers.TrySetResult();
                }
            }
        }).ToList();
        await Task.WhenAny(enoughAnswers.Task, Task.WhenAll(senders));
        Volatile.Write(ref killing, true);
        var inFlightAtKill = Volatile.Read(ref inFlight);
        await mirage.KillAsync(Token);
        await Task.WhenAll(senders);
        return ([.. ok], inFlightAtKill);
    }

    private static StringContent JsonContent(string subdomain) =>
        new($"{{\"subdomain\":\"{subdomain}\",\"branch\":\"main\",\"taskdef\":[\"sleeper\"]}}", System.Text.Encoding.UTF8, "application/json");

    private static async Task<HashSet<string>> IntentsAsync(MirageProcess mirage)
    {
        var list = await mirage.GetJsonAsync("/api/environments", Token);
        return [.. list.GetProperty("result").EnumerateArray().Select(e => e.GetProperty("subdomain").GetString()!)];
    }

    private static Task WaitAllRunningAsync(MirageProcess mirage, IReadOnlySet<string> subdomains) =>
        Eventually.ReadAsync(
            () => mirage.GetJsonAsync("/api/environments", Token),
            list => list.GetProperty("result").GetArrayLength() == subdomains.Count && list.GetProperty("result").EnumerateArray().All(IsRunning),
            TimeSpan.FromSeconds(120),
            list =>
            {
                var notRunning = list.GetProperty("result").EnumerateArray().Where(e => !IsRunning(e)).Select(e => e.GetProperty("subdomain").GetString()!);
                var first = list.GetProperty("result").EnumerateArray().FirstOrDefault(e => !IsRunning(e));
                return mirage.Explain($"not running: {string.Join(", ", notRunning)}; the first: {first}");
            },
            Token, TimeSpan.FromMilliseconds(250));

    private static bool IsRunning(JsonElement environment) =>
        environment.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object &&
        status.GetProperty("conditions").EnumerateArray().Any(c => c.GetProperty("type").GetString() == "TaskRunning" && c.GetProperty("status").GetString() == "true");
}
