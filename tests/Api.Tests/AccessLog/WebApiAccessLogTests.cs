using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.Api.Tests.AccessLog;

/// <summary>mirage-ecs's echo Logger: one JSON line per web API request on stdout; proxied requests none.</summary>
public sealed class WebApiAccessLogTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_web_api_request_writes_one_json_line_and_a_proxied_request_none()
    {
        await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions { Arguments = ["--local"] }, Token);
        using (var launch = await mirage.PostApiAsync("/api/launch", new { subdomain = "logged", branch = "main", taskdef = new[] { "demo" }, wait = true }, Token))
        {
            Assert.True(launch.IsSuccessStatusCode, mirage.Explain("launch"));
        }
        using (var proxied = new HttpRequestMessage(HttpMethod.Get, "/"))
        using (var client = mirage.CreateClient("logged.localtest.me"))
        {
            proxied.Headers.UserAgent.ParseAdd("proxied-client/1");
            using var page = await client.SendAsync(proxied, Token);
            Assert.True(page.IsSuccessStatusCode, mirage.Explain("proxied request"));
        }

        using (var list = new HttpRequestMessage(HttpMethod.Get, "/api/list?from=test"))
        using (var client = mirage.CreateClient())
        {
            list.Headers.UserAgent.ParseAdd("access-log-test/1");
            list.Headers.Add("X-Request-ID", "req-access-log");
            using var answer = await client.SendAsync(list, Token);
            Assert.True(answer.IsSuccessStatusCode, mirage.Explain("list"));
        }
        await mirage.WaitForOutputAsync("\"id\":\"req-access-log\"", TimeSpan.FromSeconds(10), Token);

        var lines = mirage.Output.Split('\n').Where(l => l.StartsWith("{\"time\":", StringComparison.Ordinal)).ToList();
        using var json = JsonDocument.Parse(lines.Single(l => l.Contains("req-access-log", StringComparison.Ordinal)));
        var line = json.RootElement;
        Assert.Equal(
            ["time", "id", "remote_ip", "host", "method", "uri", "user_agent", "status", "error", "latency", "latency_human", "bytes_in", "bytes_out"],
            line.EnumerateObject().Select(p => p.Name));
        Assert.Equal("127.0.0.1", line.GetProperty("remote_ip").GetString());
        Assert.Equal($"{MirageProcess.WebHost}:{mirage.Port}", line.GetProperty("host").GetString());
        Assert.Equal("GET", line.GetProperty("method").GetString());
        Assert.Equal("/api/list?from=test", line.GetProperty("uri").GetString());
        Assert.Equal("access-log-test/1", line.GetProperty("user_agent").GetString());
        Assert.Equal(200, line.GetProperty("status").GetInt32());
        Assert.True(line.GetProperty("latency").GetInt64() > 0);
        Assert.True(line.GetProperty("bytes_out").GetInt64() > "{\"result\":[]}".Length, "the list has a row, so its body is longer than an empty one");
        Assert.Contains(lines, l => l.Contains("\"uri\":\"/api/launch\"", StringComparison.Ordinal) && l.Contains("\"method\":\"POST\"", StringComparison.Ordinal));
        // The proxied request finished before the list was sent, and the Edge answers it before the access log.
        Assert.DoesNotContain(lines, l => l.Contains("proxied-client", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Access_log_false_turns_the_lines_off()
    {
        await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions
        {
            ConfigText = MirageProcess.LocalConfig + "access_log: false\n",
            Arguments = ["--local"],
        }, Token);

        // Mirage answered its readiness probe and this list; with the log on, both would have left a line each.
        Assert.Equal(JsonValueKind.Array, (await mirage.GetJsonAsync("/api/list", Token)).GetProperty("result").ValueKind);
        Assert.DoesNotContain("\"remote_ip\":", mirage.Output, StringComparison.Ordinal);
    }
}
