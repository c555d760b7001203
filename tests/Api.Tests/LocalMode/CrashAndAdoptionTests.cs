using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.Api.Tests.LocalMode;

/// <summary>What survives a crash of the mirage process: intents, tasks, and exactly one task per environment.</summary>
public sealed class CrashAndAdoptionTests : IDisposable
{
    // Holds the data every restart comes back to (and the crasher's task definition).
    private readonly string _folder = Directory.CreateTempSubdirectory("mirage-crash-").FullName;
    private readonly MirageProcessOptions _options;

    public CrashAndAdoptionTests() => _options = new MirageProcessOptions { DataDir = Path.Combine(_folder, "data") };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        // Tasks re-attached by a later mirage were stopped when it stopped; nothing of ours may outlive the test.
        foreach (var pid in DemoProcesses(null))
        {
            Process.GetProcessById(pid).Kill(entireProcessTree: true);
        }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Killing_mirage_mid_launch_and_restarting_loses_no_intent_and_starts_no_duplicate()
    {
        // Kill at different moments: before the reconciler ran, while RunTask starts the process, after it ran.
        int[] killAfterMs = [0, 40, 120, 300];
        var options = _options;
        // Disposing a killed mirage kills the tasks it left behind, which the next one must find: all wait until the end.
        var killed = new List<MirageProcess>();
        try
        {
            for (var i = 0; i < killAfterMs.Length; i++)
            {
                var subdomain = $"crash-{i}";
                var mirage = await MirageProcess.StartAsync(options, Token);
                killed.Add(mirage);
                options = mirage.Options;
                using (var launch = await mirage.PostApiAsync("/api/launch", new { subdomain, branch = "main", taskdef = new[] { "demo" } }, Token))
                {
                    Assert.Equal(HttpStatusCode.OK, launch.StatusCode);
                }
                await Task.Delay(killAfterMs[i], Token);
                await mirage.KillAsync(Token);

                var restarted = await MirageProcess.StartAsync(options, Token);
                killed.Add(restarted);
                await WaitReadyAsync(restarted, subdomain);
                var rows = (await restarted.GetJsonAsync("/api/list", Token)).GetProperty("result").EnumerateArray()
                    .Where(r => r.GetProperty("subdomain").GetString() == subdomain).ToList();
                Assert.True(rows.Count == 1, restarted.Explain($"kill after {killAfterMs[i]} ms: {rows.Count} tasks listed for {subdomain}"));
                Assert.Single(DemoProcesses(subdomain));
                using (var page = await restarted.SendAsync(HttpMethod.Get, $"{subdomain}.localtest.me", "/", cancellationToken: Token))
                {
                    Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                }
                await restarted.KillAsync(Token);
            }
        }
        finally
        {
            foreach (var mirage in killed)
            {
                await mirage.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_restarted_mirage_stops_promptly_on_sigterm()
    {
        // The journal of a graceful stop holds STOPPED tasks; they once kept the next shutdown waiting forever.
        var options = _options;
        for (var round = 0; round < 2; round++)
        {
            var mirage = await MirageProcess.StartAsync(options, Token);
            options = mirage.Options;
            if (round == 0)
            {
                using var launch = await mirage.PostApiAsync("/api/launch", new { subdomain = "restarts", branch = "main", taskdef = new[] { "demo" }, wait = true }, Token);
                Assert.Equal(HttpStatusCode.OK, launch.StatusCode);
            }
            var stopping = Stopwatch.StartNew();
            await mirage.StopAsync(Token);
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"round {round}: SIGTERM took {stopping.Elapsed}\n{mirage.Output}");
            await mirage.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_running_tagged_task_whose_intent_was_lost_is_adopted_not_stopped()
    {
        // Disposed last: disposing a killed mirage kills the task it left behind, which the restart must adopt.
        await using var mirage = await MirageProcess.StartAsync(_options, Token);
        using (var launch = await mirage.PostApiAsync("/api/launch", new { subdomain = "orphan", branch = "feature/lost", taskdef = new[] { "demo" }, wait = true }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, launch.StatusCode);
        }
        var taskId = (await mirage.GetJsonAsync("/api/list", Token)).GetProperty("result")[0].GetProperty("id").GetString()!;
        var pid = Assert.Single(DemoProcesses("orphan"));
        await mirage.KillAsync(Token);
        // The store is lost; the task keeps running.
        Directory.Delete(Path.Combine(mirage.DataDir, "intents"), recursive: true);

        await using var restarted = await MirageProcess.StartAsync(mirage.Options, Token);
        var details = await WaitReadyAsync(restarted, "orphan");
        Assert.Equal("adopted", details.GetProperty("intent").GetProperty("source").GetString());
        Assert.Equal("feature/lost", details.GetProperty("intent").GetProperty("parameters").GetProperty("branch").GetString());
        Assert.Equal(taskId, details.GetProperty("tasks")[0].GetProperty("id").GetString());
        Assert.Equal([pid], DemoProcesses("orphan"));
        using var page = await restarted.SendAsync(HttpMethod.Get, "orphan.localtest.me", "/", cancellationToken: Token);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task A_task_that_exits_is_reported_with_its_exit_code_relaunched_and_then_marked_failed()
    {
        var definitions = Path.Combine(_folder, "task-definitions");
        Directory.CreateDirectory(definitions);
        await File.WriteAllTextAsync(Path.Combine(definitions, "crasher.json"), """
            {
              "family": "crasher",
              "containerDefinitions": [{
                "name": "app",
                "essential": true,
                "entryPoint": ["/bin/sh", "-c"],
                "command": ["/usr/bin/python3 -m http.server $PORT --bind 127.0.0.1 >/dev/null 2>&1 & sleep 1; echo giving up; exit 3"],
                "portMappings": [{ "containerPort": 80 }],
                "stopTimeout": 2
              }]
            }
            """, Token);
        await using var mirage = await MirageProcess.StartAsync(_options with { TaskDefinitions = definitions }, Token);
        using var launch = await mirage.PostApiAsync("/api/launch", new { subdomain = "crasher", branch = "main", taskdef = new[] { "crasher" } }, Token);
        Assert.Equal(HttpStatusCode.OK, launch.StatusCode);

        var details = await Eventually.ReadAsync(
            () => mirage.GetJsonAsync("/api/environments/crasher", Token), d => StateOf(d) == "failed", TimeSpan.FromSeconds(60),
            d => $"crasher is not failed: {d}\n{mirage.Output}", Token);

        var status = details.GetProperty("status");
        var events = status.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
        Assert.Contains(events, e => e.Contains("exited with code 3", StringComparison.Ordinal));
        Assert.Equal(4, events.Count(e => e.StartsWith("Launched task", StringComparison.Ordinal)));
        Assert.Equal(3, status.GetProperty("restarts").GetInt32());
        using var page = await mirage.SendAsync(HttpMethod.Get, "crasher.localtest.me", "/", cancellationToken: Token);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
    }

    // The status appears with the reconciler's first pass.
    private static string? StateOf(JsonElement details) =>
        details.TryGetProperty("status", out var status) ? status.GetProperty("state").GetString() : null;

    private static async Task<JsonElement> WaitReadyAsync(MirageProcess mirage, string subdomain)
    {
        var (_, details) = await Eventually.ReadAsync(
            async () =>
            {
                using var response = await mirage.SendAsync(HttpMethod.Get, MirageProcess.WebHost, $"/api/environments/{subdomain}", cancellationToken: Token);
                return (response.IsSuccessStatusCode, response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement.Clone() : default);
            },
            read => read.IsSuccessStatusCode && read.Item2.TryGetProperty("status", out var status) &&
                status.GetProperty("conditions").EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "true"),
            TimeSpan.FromSeconds(30), _ => $"{subdomain} did not become ready\n{mirage.Output}", Token);
        return details;
    }

    // This test's demo app processes (of one environment, or all), found through /proc: what really runs, not what
    // mirage says. Theirs is the stdout file under this test's folder, so other tests' demo apps are left alone.
    private List<int> DemoProcesses(string? subdomain)
    {
        var pids = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0');
                if (!commandLine.Contains("demo-app"))
                {
                    continue;
                }
                if (new FileInfo(Path.Combine(folder, "fd", "1")).LinkTarget is not { } stdout || !stdout.StartsWith(_folder, StringComparison.Ordinal))
                {
                    continue;
                }
                var environment = File.ReadAllText(Path.Combine(folder, "environ")).Split('\0');
                if (subdomain is null || environment.Contains($"SUBDOMAINRAW={subdomain}"))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return pids;
    }
}
