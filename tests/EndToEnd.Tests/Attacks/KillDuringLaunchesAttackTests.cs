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
    private const int Launches = 100;

    // Killed once this many launches were answered 200: the rest are still in flight.
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
            var (answeredOk, answeredAtKill) = await LaunchAndKillAsync(killed);
            Assert.True(answeredAtKill < Launches, killed.Explain($"all {Launches} launches were answered before the kill; nothing was in flight"));
            Assert.True(answeredOk.Count >= KillAfterAnswers, killed.Explain($"only {answeredOk.Count} launches answered 200"));

            restarted = await MirageProcess.StartAsync(killed.Options, Token);
            var intents = await IntentsAsync(restarted);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"killed after {answeredAtKill} answers; {answeredOk.Count} launches answered 200 in all; {intents.Count} intents after the restart");
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

    // Fires every launch at once (without wait) and kills mirage once KillAfterAnswers of them were answered 200.
    private static async Task<(IReadOnlyList<string> AnsweredOk, int AnsweredAtKill)> LaunchAndKillAsync(MirageProcess mirage)
    {
        var ok = new System.Collections.Concurrent.ConcurrentBag<string>();
        var answered = 0;
        var enoughAnswers = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var client = mirage.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        var launches = Enumerable.Range(0, Launches).Select(async i =>
        {
            var subdomain = $"burst-{i:D3}";
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
            }
            if (Interlocked.Increment(ref answered) >= KillAfterAnswers && ok.Count >= KillAfterAnswers)
            {
                enoughAnswers.TrySetResult();
            }
        }).ToList();
        await Task.WhenAny(enoughAnswers.Task, Task.WhenAll(launches));
        var answeredAtKill = Volatile.Read(ref answered);
        await mirage.KillAsync(Token);
        await Task.WhenAll(launches);
        return ([.. ok], answeredAtKill);
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
