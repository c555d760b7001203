using System.Net;
using System.Text.RegularExpressions;
using Mirage.TestKit;

namespace Mirage.Api.Tests.Telemetry;

/// <summary>/metrics on a real mirage process: the reconciler's series after a launch, in Prometheus text format.</summary>
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

    [GeneratedRegex(@"(?m)^mirage_reconcile_passes(_pass)?_total\{[^}]*result=""(done|requeued)""[^}]*\} (?<value>[0-9.e+]+)")]
    private static partial Regex PassesDone();
}
