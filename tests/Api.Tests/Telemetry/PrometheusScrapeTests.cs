using System.Net;
using System.Text.RegularExpressions;
using Mirage.TestKit;

namespace Mirage.Api.Tests.Telemetry;

/// <summary>/metrics on a real mirage process: the reconciler's, the Edge's and the leader's series after a launch and proxied requests, in Prometheus text format.</summary>
public sealed partial class PrometheusScrapeTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_show_the_passes_of_a_launch_their_duration_and_the_queue_depth()
    {
        await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions { Arguments = ["--local"] }, Token);
        using (var launch = await mirage.PostApiAsync("/api/launch", new { subdomain = "metered", branch = "main", taskdef = new[] { "demo" }, wait = true }, Token))
        {
            Assert.True(launch.IsSuccessStatusCode, mirage.Explain("launch"));
        }
        using (var page = await mirage.SendAsync(HttpMethod.Get, "metered.localtest.me", "/", cancellationToken: Token))
        {
            Assert.True(page.IsSuccessStatusCode, mirage.Explain("proxied request"));
        }

        using var client = mirage.CreateClient();
        using var scrape = await client.GetAsync("/metrics", Token);
        var text = await scrape.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        var passes = PassesDone().Match(text);
        Assert.True(passes.Success, $"no done/requeued passes in:\n{text}");
        Assert.True(double.Parse(passes.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 1, text);
        Assert.Matches(@"(?m)^mirage_reconcile_duration_seconds_bucket\{.*result=""(done|requeued)"".*le=""\+Inf"".*\} [1-9]", text);
        Assert.Matches(@"(?m)^mirage_workqueue_depth(_environment)?(\{[^}]*\})? \d+", text);
        Assert.Matches(@"(?m)^target_info\{.*service_name=""mirage"".*\} 1", text);
    }

    [Fact]
    public async Task Metrics_count_proxied_requests_by_environment_and_status_class_and_show_lifecycle_states_and_the_leader()
    {
        await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions { Arguments = ["--local"] }, Token);
        using (var launch = await mirage.PostApiAsync("/api/launch", new { subdomain = "counted", branch = "main", taskdef = new[] { "demo" }, wait = true }, Token))
        {
            Assert.True(launch.IsSuccessStatusCode, mirage.Explain("launch"));
        }
        for (var i = 0; i < 3; i++)
        {
            using var page = await mirage.SendAsync(HttpMethod.Get, "counted.localtest.me", "/", cancellationToken: Token);
            Assert.True(page.IsSuccessStatusCode, mirage.Explain("proxied request"));
        }
        using (var missing = await mirage.SendAsync(HttpMethod.Get, "counted.localtest.me", "/no-such-page", cancellationToken: Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using var client = mirage.CreateClient();
        using var scrape = await client.GetAsync("/metrics", Token);
        var text = await scrape.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Equal(3, Value(text, @"mirage_edge_requests(_request)?_total\{[^}]*environment=""counted""[^}]*status_class=""2xx""[^}]*\}"));
        Assert.Equal(1, Value(text, @"mirage_edge_requests(_request)?_total\{[^}]*environment=""counted""[^}]*status_class=""4xx""[^}]*\}"));
        Assert.Equal(3, Value(text, @"mirage_edge_upstream_duration_seconds_count\{[^}]*status_class=""2xx""[^}]*\}"));
        Assert.Equal(1, Value(text, @"mirage_environments(_environment)?\{[^}]*state=""running""[^}]*\}"));
        Assert.Equal(0, Value(text, @"mirage_environments(_environment)?\{[^}]*state=""failed""[^}]*\}"));
        Assert.Equal(1, Value(text, @"mirage_leader(\{[^}]*\})?"));
        Assert.Equal(0, Value(text, @"mirage_leader_term(\{[^}]*\})?"));
    }

    [Fact]
    public async Task With_OTEL_SDK_DISABLED_metrics_are_not_served_and_the_answer_says_why()
    {
        await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions
        {
            Arguments = ["--local"],
            Environment = new Dictionary<string, string> { ["OTEL_SDK_DISABLED"] = "true" },
        }, Token);

        using var client = mirage.CreateClient();
        using var scrape = await client.GetAsync("/metrics", Token);

        Assert.Equal(HttpStatusCode.NotFound, scrape.StatusCode);
        Assert.Equal("metrics are off: OTEL_SDK_DISABLED=true\n", await scrape.Content.ReadAsStringAsync(Token));
    }

    // The value of the one series the pattern (a name and its labels) matches.
    private static double Value(string scrape, string series)
    {
        var match = Assert.Single(Regex.Matches(scrape, $@"(?m)^{series} (?<value>[0-9.e+]+)( \d+)?$"));
        return double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"(?m)^mirage_reconcile_passes(_pass)?_total\{[^}]*result=""(done|requeued)""[^}]*\} (?<value>[0-9.e+]+)")]
    private static partial Regex PassesDone();
}
