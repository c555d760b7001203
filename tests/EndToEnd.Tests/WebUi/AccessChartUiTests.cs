using Microsoft.Playwright;
using Mirage.EndToEnd.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Mirage.EndToEnd.Tests.WebUi;

/// <summary>The access chart (environment page) and sparkline (list), drawn server-side as SVG, in Chromium.</summary>
public sealed class AccessChartUiTests(WebUiFixture fixture) : IClassFixture<WebUiFixture>
{
    private const int ProxiedRequests = 3;

    [Fact]
    public async Task The_environment_page_charts_24_hours_of_requests_and_its_list_row_a_sparkline()
    {
        var token = TestContext.Current.CancellationToken;
        using (var launch = await fixture.Mirage.PostApiAsync("/api/launch",
                   new { subdomain = "ui-chart", branch = "main", taskdef = new[] { "demo" }, wait = true }, token))
        {
            Assert.True(launch.IsSuccessStatusCode, fixture.Mirage.Explain("launch ui-chart"));
        }
        for (var i = 0; i < ProxiedRequests; i++)
        {
            using var answer = await fixture.Mirage.SendAsync(HttpMethod.Get, "ui-chart.localtest.me", "/", cancellationToken: token);
            Assert.True(answer.IsSuccessStatusCode, fixture.Mirage.Explain("proxied request"));
        }

        var page = await fixture.Chromium.NewPageAsync();
        try
        {
            await page.GotoAsync(new Uri(fixture.Mirage.WebUri, "/environments/ui-chart").ToString());
            var chart = page.Locator("svg.access-chart");
            await Expect(chart.Locator("rect.bar")).ToHaveCountAsync(24);
            await Expect(chart).ToHaveAttributeAsync("data-total", ProxiedRequests.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // Bars have a height only where requests were counted, and the drawing is visible, not only in the markup.
            Assert.Equal(ProxiedRequests, (await chart.Locator("rect.bar").EvaluateAllAsync<int[]>("bars => bars.map(b => +b.dataset.count)")).Sum());
            Assert.True((await chart.BoundingBoxAsync())!.Height > 50, "the chart is drawn at its size");
            await Expect(page.Locator("#access-count")).ToHaveTextAsync("3");
            await Chromium.ScreenshotAsync(page, "access-chart");

            await page.GotoAsync(fixture.Mirage.WebUri.ToString());
            var sparkline = page.Locator("tr[data-subdomain=ui-chart] svg.sparkline");
            await Expect(sparkline.Locator("rect.bar")).ToHaveCountAsync(24);
            await Expect(sparkline).ToHaveAttributeAsync("data-total", "3");
            Assert.Equal(0, await page.Locator("link[href^=http], script[src^=http], img[src^=http]").CountAsync());
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            await Chromium.ScreenshotAsync(page, "failure-access-chart");
            throw new InvalidOperationException(fixture.Mirage.Explain(e.Message), e);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
