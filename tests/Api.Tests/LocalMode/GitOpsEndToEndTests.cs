using System.Net;
using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.Api.Tests.LocalMode;

/// <summary>The desired-environments file, policies and recovery against a real mirage process and real local tasks.</summary>
[Collection(TimingCollection.Name)]
public sealed class GitOpsEndToEndTests : IAsyncLifetime
{
    // Holds the desired-environments file and the data a restart comes back to.
    private readonly string _folder = Directory.CreateTempSubdirectory("mirage-gitops-").FullName;
    private readonly string _desired;
    private readonly MirageProcessOptions _options;
    private MirageProcess _mirage = null!;

    public GitOpsEndToEndTests()
    {
        _desired = Path.Combine(_folder, "desired.yaml");
        _options = new MirageProcessOptions
        {
            ConfigText = MirageProcess.LocalConfig + $"gitops:\n  file: {_desired}\n  check_interval: 1s\n",
            DataDir = Path.Combine(_folder, "data"),
        };
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await File.WriteAllTextAsync(_desired, """
            environments:
              - subdomain: gitops-a
                branch: main
                taskdef: [demo]
              - subdomain: short-lived
                branch: main
                taskdef: [demo]
                policy: {ttl: 4s}
            """, Token);
        _mirage = await MirageProcess.StartAsync(_options, Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _mirage.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_file_adds_changes_and_removes_environments_and_owns_them()
    {
        Assert.Contains(">gitops-a</h1>", await WaitForPageAsync("gitops-a", "main"), StringComparison.Ordinal);
        var details = await _mirage.GetJsonAsync("/api/environments/gitops-a", Token);
        Assert.Equal("gitOps", details.GetProperty("intent").GetProperty("source").GetString());
        Assert.Equal(_desired, details.GetProperty("intent").GetProperty("owner").GetString());
        Assert.Contains(Events(details), e => e.Reason == "GitOpsApplied" && e.Message == $"Declared in {_desired}");

        // The API may neither change nor end what the file owns, and says where to change it.
        foreach (var (path, body) in new (string, object)[]
                 {
                     ("/api/terminate", new { subdomain = "gitops-a" }),
                     ("/api/launch", new { subdomain = "gitops-a", branch = "other", taskdef = new[] { "demo" } }),
                     ("/api/environments/gitops-a/keep", new { keep = true }),
                 })
        {
            using var refused = await _mirage.PostApiAsync(path, body, Token);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal($$"""{"result":"subdomain gitops-a is declared in {{_desired}}; change it there"}""", await refused.Content.ReadAsStringAsync(Token));
        }

        // An API environment named in the file is a conflict, left alone; a changed entry relaunches; a new one starts.
        using (var launch = await _mirage.PostApiAsync("/api/launch", new { subdomain = "api-owned", branch = "mine", taskdef = new[] { "demo" }, wait = true }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, launch.StatusCode);
        }
        await WriteDesiredAsync("""
            environments:
              - {subdomain: gitops-a, branch: develop, taskdef: [demo]}
              - {subdomain: gitops-b, branch: main, taskdef: [demo]}
              - {subdomain: api-owned, branch: theirs, taskdef: [demo]}
            """);
        Assert.Contains("develop", await WaitForPageAsync("gitops-a", "develop"), StringComparison.Ordinal);
        await WaitForPageAsync("gitops-b", "main");
        var gitops = await _mirage.GetJsonAsync("/api/gitops", Token);
        Assert.Equal(JsonValueKind.Null, gitops.GetProperty("error").ValueKind);
        var conflict = Assert.Single(gitops.GetProperty("conflicts").EnumerateArray());
        Assert.Equal("api-owned", conflict.GetProperty("subdomain").GetString());
        Assert.Contains("mine", await WaitForPageAsync("api-owned", "mine"), StringComparison.Ordinal);
        Assert.Equal("api", (await _mirage.GetJsonAsync("/api/environments/api-owned", Token)).GetProperty("intent").GetProperty("source").GetString());

        // A broken or emptied file changes nothing and is reported until it is fixed.
        var appliedHash = gitops.GetProperty("appliedHash").GetString();
        await WriteDesiredAsync("environments:\n  - {subdomain: gitops-a, branch: main, taskdef: [demo]\n");
        var broken = await WaitForGitOpsAsync(g => g.GetProperty("error").ValueKind == JsonValueKind.String);
        // Reported where the unclosed { opened, not at the end of the file.
        Assert.StartsWith($"{_desired}:2:5: invalid YAML: this {{ is never closed", broken.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(appliedHash, broken.GetProperty("appliedHash").GetString());
        // The web UI says so too, until the file is fixed.
        using (var page = await _mirage.SendAsync(HttpMethod.Get, MirageProcess.WebHost, "/", cancellationToken: Token))
        {
            var html = await page.Content.ReadAsStringAsync(Token);
            Assert.Contains("The desired-environments file is not applied.", html, StringComparison.Ordinal);
            Assert.Contains($"{_desired}:2:5:", html, StringComparison.Ordinal);
        }
        await WriteDesiredAsync("environments: []\n");
        var emptied = await WaitForGitOpsAsync(g => g.GetProperty("error").GetString()?.Contains("allow_empty", StringComparison.Ordinal) == true);
        Assert.Equal(appliedHash, emptied.GetProperty("appliedHash").GetString());
        await WaitForPageAsync("gitops-b", "main");

        // Removing an entry terminates its environment.
        await WriteDesiredAsync("environments:\n  - {subdomain: gitops-a, branch: develop, taskdef: [demo]}\n");
        await WaitForStatusAsync("gitops-b", HttpStatusCode.NotFound);
        // The route goes first; the pass records the cause when it ends.
        var removed = await WaitForDetailsAsync("gitops-b", d => Events(d).Any(e => e.Reason == "RemovedFromFile"), TimeSpan.FromSeconds(10));
        Assert.Contains(Events(removed), e => e.Reason == "RemovedFromFile");
        Assert.Equal(JsonValueKind.Null, (await _mirage.GetJsonAsync("/api/gitops", Token)).GetProperty("error").ValueKind);
        await WaitForPageAsync("api-owned", "mine");
    }

    [Fact]
    public async Task A_ttl_from_the_file_ends_the_environment_and_it_stays_ended()
    {
        var details = await WaitForDetailsAsync("short-lived", d => StateOf(d) == "terminated", TimeSpan.FromSeconds(30));

        var expired = Assert.Single(Events(details), e => e.Reason == "Expired");
        Assert.StartsWith("Expired: ttl 4s since the launch at ", expired.Message, StringComparison.Ordinal);
        using var page = await _mirage.SendAsync(HttpMethod.Get, "short-lived.localtest.me", "/", cancellationToken: Token);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        // The file still lists it; it is not started again until its entry changes: two more checks of the file leave it ended.
        var checkedAt = (await _mirage.GetJsonAsync("/api/gitops", Token)).GetProperty("lastCheckedAt").GetDateTimeOffset();
        await WaitForGitOpsAsync(g => g.GetProperty("lastCheckedAt").GetDateTimeOffset() > checkedAt.AddSeconds(1));
        Assert.Equal("terminated", StateOf(await _mirage.GetJsonAsync("/api/environments/short-lived", Token)));
    }

    [Fact]
    public async Task Keep_pins_an_api_environment_and_shows_in_its_status()
    {
        using (var launch = await _mirage.PostApiAsync("/api/launch", new { subdomain = "pin-me", branch = "main", taskdef = new[] { "demo" }, wait = true }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, launch.StatusCode);
        }
        using (var keep = await _mirage.PostApiAsync("/api/environments/pin-me/keep", new { keep = true }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, keep.StatusCode);
        }
        var details = await WaitForDetailsAsync("pin-me", d => Conditions(d).Any(c => c.Type == "Expiring" && c.Reason == "Kept"), TimeSpan.FromSeconds(20));
        Assert.True(details.GetProperty("intent").GetProperty("policy").GetProperty("keep").GetBoolean());
        Assert.Contains(Events(details), e => e.Reason == "KeepChanged");

        // The environment page offers to unpin, and its form (as a browser posts it) does so.
        using (var page = await _mirage.SendAsync(HttpMethod.Get, MirageProcess.WebHost, "/environments/pin-me", cancellationToken: Token))
        {
            Assert.Contains(">Unpin</button>", await page.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        }
        using (var client = _mirage.CreateClient())
        using (var unpin = new HttpRequestMessage(HttpMethod.Post, "/keep"))
        {
            unpin.Headers.TryAddWithoutValidation("Origin", $"http://{MirageProcess.WebHost}:{_mirage.Port}");
            unpin.Content = new FormUrlEncodedContent([new("subdomain", "pin-me"), new("keep", "false")]);
            using var unpinned = await client.SendAsync(unpin, Token);
            Assert.True((int)unpinned.StatusCode is 200 or 303, $"{(int)unpinned.StatusCode}: {await unpinned.Content.ReadAsStringAsync(Token)}");
        }
        Assert.False((await _mirage.GetJsonAsync("/api/environments/pin-me", Token)).GetProperty("intent").GetProperty("policy").GetProperty("keep").GetBoolean());

        using var bad = await _mirage.PostApiAsync("/api/environments/pin-me/keep", new { keep = "sometimes" }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var missing = await _mirage.PostApiAsync("/api/environments/nobody/keep", new { keep = true }, Token);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Tasks_stopped_by_a_graceful_shutdown_come_back_on_restart_as_a_recovery()
    {
        using (var launch = await _mirage.PostApiAsync("/api/launch", new { subdomain = "survivor", branch = "main", taskdef = new[] { "demo" }, wait = true }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, launch.StatusCode);
        }
        var options = _mirage.Options;
        await _mirage.StopAsync(Token);
        await _mirage.DisposeAsync();
        _mirage = await MirageProcess.StartAsync(options, Token);

        var details = await WaitForDetailsAsync("survivor", d => Events(d).Any(e => e.Reason == "Recovered") && StateOf(d) == "running", TimeSpan.FromSeconds(30));
        Assert.Equal(0, details.GetProperty("status").GetProperty("restarts").GetInt32());
        Assert.Equal(1, details.GetProperty("status").GetProperty("recoveries").GetInt32());
        await WaitForPageAsync("survivor", "main");
    }

    private async Task WriteDesiredAsync(string yaml)
    {
        // Write then rename, as editors and git checkouts do: a reader never sees half a file.
        var temporary = _desired + ".tmp";
        await File.WriteAllTextAsync(temporary, yaml, Token);
        File.Move(temporary, _desired, overwrite: true);
    }

    private static string? StateOf(JsonElement details) =>
        details.TryGetProperty("status", out var status) ? status.GetProperty("state").GetString() : null;

    private static List<(string Reason, string Message)> Events(JsonElement details) =>
        details.TryGetProperty("status", out var status)
            ? [.. status.GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("reason").GetString()!, e.GetProperty("message").GetString()!))]
            : [];

    private static List<(string Type, string Reason)> Conditions(JsonElement details) =>
        details.TryGetProperty("status", out var status)
            ? [.. status.GetProperty("conditions").EnumerateArray().Select(c => (c.GetProperty("type").GetString()!, c.GetProperty("reason").GetString()!))]
            : [];

    private Task<JsonElement> WaitForGitOpsAsync(Func<JsonElement, bool> done) =>
        Eventually.ReadAsync(() => _mirage.GetJsonAsync("/api/gitops", Token), done, TimeSpan.FromSeconds(20),
            state => $"/api/gitops: {state}\n{_mirage.Output}", Token);

    private async Task<JsonElement> WaitForDetailsAsync(string subdomain, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var (_, text) = await Eventually.ReadAsync(
            async () =>
            {
                using var response = await _mirage.SendAsync(HttpMethod.Get, MirageProcess.WebHost, $"/api/environments/{subdomain}", cancellationToken: Token);
                return (response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Token));
            },
            read => read.IsSuccessStatusCode && done(JsonDocument.Parse(read.Item2).RootElement), timeout,
            read => $"{subdomain}: {read.Item2}\n{_mirage.Output}", Token);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<string> WaitForPageAsync(string subdomain, string branch)
    {
        var (_, page) = await Eventually.ReadAsync(
            async () =>
            {
                using var response = await _mirage.SendAsync(HttpMethod.Get, $"{subdomain}.localtest.me", "/", cancellationToken: Token);
                return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
            },
            read => read.StatusCode == HttpStatusCode.OK && read.Item2.Contains(branch, StringComparison.Ordinal), TimeSpan.FromSeconds(30),
            read => $"{subdomain} answered {(int)read.StatusCode} without {branch}: {read.Item2}\n{_mirage.Output}", Token);
        return page;
    }

    private Task WaitForStatusAsync(string subdomain, HttpStatusCode wanted) =>
        Eventually.ReadAsync(
            async () =>
            {
                using var response = await _mirage.SendAsync(HttpMethod.Get, $"{subdomain}.localtest.me", "/", cancellationToken: Token);
                return response.StatusCode;
            },
            status => status == wanted, TimeSpan.FromSeconds(30),
            status => $"{subdomain} answered {(int)status}, not {(int)wanted}\n{_mirage.Output}", Token);
}
