using Microsoft.Playwright;
using Mirage.EndToEnd.Tests.Support;
using Mirage.TestKit;
using static Microsoft.Playwright.Assertions;

namespace Mirage.EndToEnd.Tests.WebUi;

/// <summary>
/// mirage-ecs's own templates (MirageEcsHtml/) in Chromium, with the Bootstrap and htmx they load from CDNs served
/// from npm's copies: the page lists through htmx, the launcher modal launches, and the Terminate button stops.
/// </summary>
public sealed class MirageEcsTemplatesInChromiumTests : IDisposable
{
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 60_000 };

    private readonly string _html = Directory.CreateTempSubdirectory("mirage-ecs-htmldir-").FullName;

    public MirageEcsTemplatesInChromiumTests()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "WebUi", "MirageEcsHtml"), "*.html"))
        {
            File.Copy(file, Path.Combine(_html, Path.GetFileName(file)));
        }
    }

    public void Dispose() => Directory.Delete(_html, recursive: true);

    [Fact]
    public async Task The_mirage_ecs_dashboard_launches_from_its_modal_and_terminates_from_its_list()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var packages = await CdnPackages.InstallAsync(cancellationToken);
        await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions
        {
            ConfigText = MirageProcess.LocalConfig + $"""
                htmldir: {_html}
                parameters:
                  - name: branch
                    env: GIT_BRANCH
                    required: true
                    description: the branch to run

                """,
        }, cancellationToken);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        await packages.RouteAsync(page.Context);
        var confirms = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            confirms.Add(dialog.Message);
            await dialog.AcceptAsync();
        };

        await page.GotoAsync(mirage.WebUri.ToString());
        // htmx ran: it loaded /list into the page.
        await Expect(page.Locator("#list-content table")).ToBeVisibleAsync(Slow);

        // Bootstrap's modal, filled by htmx from /launcher.
        await page.GetByText("Launch New Task").ClickAsync();
        var launcher = page.Locator("#launcher");
        await Expect(launcher.Locator("#launcher-form")).ToBeVisibleAsync(Slow);
        await launcher.Locator("input[name=subdomain]").FillAsync("browser");
        await launcher.Locator("input[name=branch]").FillAsync("feature/browser");
        await Expect(launcher.Locator("input[name=taskdef]")).Not.ToHaveValueAsync("");
        // launcher.html reloads the page after the launch; the reloaded page lists again.
        await page.RunAndWaitForResponseAsync(() => launcher.Locator("#launch-submit").ClickAsync(),
            response => response.Url.EndsWith("/list", StringComparison.Ordinal));

        // After launcher.html's location.reload(): the row, RUNNING once the task runs (the refresh button re-lists).
        var row = page.Locator("#list-content tr", new PageLocatorOptions { HasText = "browser" });
        await Eventually.HoldsAsync(async () =>
            {
                await page.Locator("#refresh-button").ClickAsync();
                return await row.Locator("td", new LocatorLocatorOptions { HasTextString = "RUNNING" }).CountAsync() == 1;
            }, TimeSpan.FromSeconds(60), () => mirage.Explain("the launched row never showed RUNNING"), cancellationToken, TimeSpan.FromMilliseconds(500));
        await Expect(row).ToContainTextAsync("feature/browser");
        await Chromium.ScreenshotAsync(page, "mirage-ecs-templates-list");

        // The Terminate button asks (hx-confirm), posts, then clicks refresh itself.
        await row.Locator("button.terminate-button").ClickAsync();
        await Eventually.HoldsAsync(async () => await row.Locator("td", new LocatorLocatorOptions { HasTextString = "RUNNING" }).CountAsync() == 0,
            TimeSpan.FromSeconds(60), () => mirage.Explain("the row still shows RUNNING after Terminate"), cancellationToken, TimeSpan.FromMilliseconds(250));

        Assert.Equal(["Are you sure you wish to terminate browser?"], confirms);
        Assert.Empty(packages.Refused);
    }
}
