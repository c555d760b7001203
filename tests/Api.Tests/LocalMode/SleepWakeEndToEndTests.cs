using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.Api.Tests.LocalMode;

/// <summary>
/// Issue 17 against a real mirage process running real local tasks: idle environments sleep (tasks stopped with
/// Mirage's reason, route kept) and the first request to a sleeping host wakes it.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class SleepWakeEndToEndTests : IAsyncLifetime
{
    // Short enough to watch happen; the config's default, so environments launched without sleep_after get it.
    private const string SleepConfig = """
        sleep:
          sleep_after: 5s
          wake_timeout: 60s

        """;

    private static readonly TimeSpan WakeTimeout = TimeSpan.FromSeconds(60);

    private MirageProcess _mirage = null!;
    private string _taskDefinitions = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // A folder of our own, so a test can take a task definition away to break a wake.
        _taskDefinitions = Directory.CreateTempSubdirectory("mirage-sleep-taskdefs-").FullName;
        var demo = await File.ReadAllTextAsync(RepositoryRoot.Combine("deploy", "local", "task-definitions", "demo.json"), Token);
        await File.WriteAllTextAsync(Path.Combine(_taskDefinitions, "demo.json"), demo, Token);
        await File.WriteAllTextAsync(Path.Combine(_taskDefinitions, "fragile.json"), demo.Replace("\"family\": \"demo\"", "\"family\": \"fragile\"", StringComparison.Ordinal), Token);
        _mirage = await MirageProcess.StartAsync(new MirageProcessOptions
        {
            ConfigText = MirageProcess.LocalConfig + SleepConfig,
            TaskDefinitions = _taskDefinitions,
        }, Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _mirage.DisposeAsync();
        Directory.Delete(_taskDefinitions, recursive: true);
    }

    [Fact]
    public async Task Sleep_after_puts_an_idle_environment_to_sleep_its_tasks_stop_with_mirages_reason_and_its_route_stays()
    {
        await LaunchAsync("idle-one", sleepAfter: null);
        var taskArn = (await RunningTasksAsync("idle-one")).Single();

        var details = await WaitForStateAsync("idle-one", "sleeping");
        await Eventually.HoldsAsync(async () => (await RunningTasksAsync("idle-one")).Count == 0, TimeSpan.FromSeconds(20),
            () => _mirage.Explain("idle-one's task still runs after it went to sleep"), Token);

        var events = Events(details);
        Assert.Contains(events, e => e.Reason == "Slept" && e.Message.Contains("no request for 5s", StringComparison.Ordinal));
        // The list still shows it, as asleep, with no task.
        var row = Assert.Single(await ListRowsAsync(), r => r.GetProperty("subdomain").GetString() == "idle-one");
        Assert.Equal(("Sleeping", "STOPPED", ""), (row.GetProperty("state").GetString(), row.GetProperty("last_status").GetString(), row.GetProperty("id").GetString()));
        // The task was stopped with the reason Mirage recognises (the trace shows ECS's stoppedReason).
        using var trace = await _mirage.SendAsync(HttpMethod.Get, MirageProcess.WebHost, $"/trace/{taskArn[(taskArn.LastIndexOf('/') + 1)..]}?format=text", cancellationToken: Token);
        Assert.Contains("mirage: sleeping", await trace.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        // Stopped for sleep is neither a crash nor a restart.
        details = await _mirage.GetJsonAsync("/api/environments/idle-one", Token);
        Assert.Equal(0, details.GetProperty("status").TryGetProperty("restarts", out var restarts) ? restarts.GetInt32() : 0);
        Assert.DoesNotContain(Events(details), e => e.Message.Contains("stopped unexpectedly", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Twenty_concurrent_requests_to_a_sleeping_host_cause_exactly_one_launch_and_all_get_the_apps_200()
    {
        await LaunchAsleepAsync("crowd");
        var launchesBefore = Events(await _mirage.GetJsonAsync("/api/environments/crowd", Token)).Count(e => e.Reason == "TaskLaunched");

        using var client = _mirage.CreateClient("crowd.localtest.me");
        client.Timeout = WakeTimeout + TimeSpan.FromSeconds(10);
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await client.GetAsync($"/?n={i}", Token);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Token));
        }));

        Assert.All(answers, a =>
        {
            Assert.Equal(HttpStatusCode.OK, a.StatusCode);
            Assert.Contains("<h1 id=\"subdomain\">crowd</h1>", a.Body, StringComparison.Ordinal);
        });
        var events = Events(await WaitForStateAsync("crowd", "running"));
        Assert.Equal(1, events.Count(e => e.Reason == "Woken"));
        Assert.Contains(events, e => e.Reason == "Woken" && e.Message == "Woken by a request to crowd.localtest.me");
        Assert.Equal(launchesBefore + 1, events.Count(e => e.Reason == "TaskLaunched"));
        Assert.Single(await RunningTasksAsync("crowd"));
        // Waiting requests count as accesses (so a woken environment is not idle at once).
        var access = await _mirage.GetJsonAsync("/api/access?subdomain=crowd&duration=3600", Token);
        Assert.True(access.GetProperty("sum").GetInt64() >= 20, access.ToString());
    }

    [Fact]
    public async Task A_POST_body_sent_while_the_environment_wakes_arrives_intact()
    {
        await LaunchAsleepAsync("poster");
        var body = RandomNumberGenerator.GetBytes(512 * 1024);

        using var client = _mirage.CreateClient("poster.localtest.me");
        client.Timeout = WakeTimeout + TimeSpan.FromSeconds(10);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync("/echo", content, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(await response.Content.ReadAsByteArrayAsync(Token)));
    }

    [Fact]
    public async Task A_browser_gets_the_waking_page_at_once_and_then_the_app()
    {
        await LaunchAsleepAsync("browser");

        var first = await BrowserGetAsync("browser.localtest.me");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Contains("id=\"waking\"", first.Body, StringComparison.Ordinal);
        Assert.Contains("http-equiv=\"refresh\"", first.Body, StringComparison.Ordinal);
        Assert.Equal("2", first.RetryAfter);

        // What the page's reload gets once the environment is awake: the app itself.
        var (_, page, _) = await Eventually.ReadAsync(() => BrowserGetAsync("browser.localtest.me"), r => r.StatusCode == HttpStatusCode.OK,
            WakeTimeout, r => _mirage.Explain($"the reload still answers {(int)r.StatusCode}: {r.Body}"), Token);
        Assert.Contains("<h1 id=\"subdomain\">browser</h1>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wake_that_cannot_launch_answers_502_with_the_reason_and_the_event_says_why()
    {
        await LaunchAsleepAsync("broken", taskDefinition: "fragile");
        File.Delete(Path.Combine(_taskDefinitions, "fragile.json"));

        using var response = await _mirage.SendAsync(HttpMethod.Get, "broken.localtest.me", "/", cancellationToken: Token);
        var text = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.StartsWith("broken.localtest.me could not be woken: ", text, StringComparison.Ordinal);
        Assert.Contains("fragile", text, StringComparison.Ordinal);
        var events = Events(await WaitForStateAsync("broken", "failed"));
        var failed = Assert.Single(events, e => e.Reason == "Failed");
        Assert.Contains("fragile", failed.Message, StringComparison.Ordinal);
        Assert.Contains(events, e => e.Reason == "Woken");
    }

    [Fact]
    public async Task Wake_latency_from_the_first_request_to_the_apps_first_byte_is_measured()
    {
        await LaunchAsync("stopwatch", sleepAfter: "0");
        var latencies = new List<TimeSpan>();
        using var client = _mirage.CreateClient("stopwatch.localtest.me");
        client.Timeout = WakeTimeout + TimeSpan.FromSeconds(10);
        for (var round = 0; round < 5; round++)
        {
            await SleepAsync("stopwatch");
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync("/", HttpCompletionOption.ResponseHeadersRead, Token);
            latencies.Add(clock.Elapsed);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await WaitForStateAsync("stopwatch", "running");
        }
        var ordered = latencies.Order().ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"wake latency (first request to first byte), 5 wakes: min {ordered[0].TotalMilliseconds:0} ms, median {ordered[2].TotalMilliseconds:0} ms, max {ordered[^1].TotalMilliseconds:0} ms");
        Assert.True(ordered[^1] < WakeTimeout, $"a wake took {ordered[^1]}");
    }

    [Fact]
    public async Task Sleep_and_wake_requests_answer_404_for_an_unknown_environment_and_409_in_the_wrong_state()
    {
        await LaunchAsync("states", sleepAfter: "0");
        await AssertAnswerAsync("/api/environments/nobody/sleep", HttpStatusCode.NotFound, "subdomain nobody is not found");
        await AssertAnswerAsync("/api/environments/states/wake", HttpStatusCode.Conflict, "subdomain states is not asleep");
        await AssertAnswerAsync("/api/environments/states/sleep", HttpStatusCode.OK, "ok");
        await AssertAnswerAsync("/api/environments/states/sleep", HttpStatusCode.Conflict, "subdomain states is already asleep");
        await WaitForStateAsync("states", "sleeping");
        await AssertAnswerAsync("/api/environments/states/wake", HttpStatusCode.OK, "ok");
        await WaitForStateAsync("states", "running");
        using var badDuration = await _mirage.PostApiAsync("/api/launch", new { subdomain = "states", branch = "main", taskdef = new[] { "demo" }, sleep_after = "soon" }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, badDuration.StatusCode);
        Assert.Contains("sleep_after", await badDuration.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    private async Task AssertAnswerAsync(string path, HttpStatusCode status, string result)
    {
        using var response = await _mirage.PostApiAsync(path, new { }, Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == status, $"{path} answered {(int)response.StatusCode}: {text}");
        Assert.StartsWith(result, JsonDocument.Parse(text).RootElement.GetProperty("result").GetString(), StringComparison.Ordinal);
    }

    private async Task LaunchAsync(string subdomain, string? sleepAfter, string taskDefinition = "demo")
    {
        object body = sleepAfter is null
            ? new { subdomain, branch = "main", taskdef = new[] { taskDefinition }, wait = true }
            : new { subdomain, branch = "main", taskdef = new[] { taskDefinition }, wait = true, sleep_after = sleepAfter };
        using var response = await _mirage.PostApiAsync("/api/launch", body, Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, _mirage.Explain($"{subdomain}: {await response.Content.ReadAsStringAsync(Token)}"));
    }

    // Launched with sleep_after 0 (never on its own), then put to sleep through the API.
    private async Task LaunchAsleepAsync(string subdomain, string taskDefinition = "demo")
    {
        await LaunchAsync(subdomain, sleepAfter: "0", taskDefinition);
        await SleepAsync(subdomain);
    }

    private async Task SleepAsync(string subdomain)
    {
        using (var response = await _mirage.PostApiAsync($"/api/environments/{subdomain}/sleep", new { }, Token))
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Token));
        }
        await WaitForStateAsync(subdomain, "sleeping");
        await Eventually.HoldsAsync(async () => (await RunningTasksAsync(subdomain)).Count == 0, TimeSpan.FromSeconds(20),
            () => _mirage.Explain($"{subdomain}'s task still runs after it went to sleep"), Token);
    }

    private Task<JsonElement> WaitForStateAsync(string subdomain, string state) =>
        Eventually.ReadAsync(() => _mirage.GetJsonAsync($"/api/environments/{subdomain}", Token),
            d => d.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object && status.GetProperty("state").GetString() == state,
            TimeSpan.FromSeconds(30), d => _mirage.Explain($"{subdomain} is not {state}: {d}"), Token, TimeSpan.FromMilliseconds(50));

    private async Task<List<string>> RunningTasksAsync(string subdomain) =>
        [.. (await _mirage.GetJsonAsync($"/api/environments/{subdomain}", Token)).GetProperty("tasks").EnumerateArray()
            .Where(t => t.GetProperty("last_status").GetString() != "STOPPED")
            .Select(t => t.GetProperty("id").GetString()!)];

    private async Task<List<JsonElement>> ListRowsAsync() =>
        [.. (await _mirage.GetJsonAsync("/api/list", Token)).GetProperty("result").EnumerateArray()];

    private static List<(string Reason, string Message)> Events(JsonElement details) =>
        [.. details.GetProperty("status").GetProperty("events").EnumerateArray()
            .Select(e => (e.GetProperty("reason").GetString()!, e.GetProperty("message").GetString()!))];

    private async Task<(HttpStatusCode StatusCode, string Body, string? RetryAfter)> BrowserGetAsync(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var client = _mirage.CreateClient(host);
        using var response = await client.SendAsync(request, Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Token), response.Headers.RetryAfter?.ToString());
    }
}
