using System.Net;
using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.Api.Tests.Health;

/// <summary>/healthz and /readyz on a real mirage process, with sign-in configured (probes need none).</summary>
public sealed class HealthEndpointTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Healthz_is_live_and_readyz_reports_config_store_and_routes_without_sign_in()
    {
        await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions
        {
            ConfigText = MirageProcess.LocalConfig + "auth:\n  token:\n    header: x-mirage-token\n    token: health-secret\n",
            Arguments = ["--local"],
            ReadyPath = "/healthz",
        }, Token);
        using var client = mirage.CreateClient();

        using (var live = await client.GetAsync("/healthz", Token))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal("Healthy", JsonDocument.Parse(await live.Content.ReadAsStringAsync(Token)).RootElement.GetProperty("status").GetString());
        }

        var ready = await Eventually.ReadAsync(
            async () =>
            {
                using var answer = await client.GetAsync("/readyz", Token);
                return (answer.StatusCode, Body: await answer.Content.ReadAsStringAsync(Token));
            },
            r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), r => mirage.Explain($"/readyz: {(int)r.StatusCode} {r.Body}"), Token);
        var checks = JsonDocument.Parse(ready.Body).RootElement.GetProperty("checks");
        Assert.Equal(["config", "store", "routes"], checks.EnumerateObject().Select(c => c.Name));
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));
        Assert.DoesNotContain("health-secret", ready.Body, StringComparison.Ordinal);

        // The rest of the UI still asks for sign-in.
        using var page = await client.GetAsync("/", Token);
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
    }
}
