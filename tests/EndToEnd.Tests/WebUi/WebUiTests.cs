using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Mirage.EndToEnd.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Mirage.EndToEnd.Tests.WebUi;

/// <summary>The web UI in Chromium against a real local Mirage: launch, watch, open, inspect, trace, terminate.</summary>
public sealed class WebUiTests(WebUiFixture fixture) : IClassFixture<WebUiFixture>
{
    // Generous: the machine is shared, and a local task is a real process that has to start.
    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 60_000 };
    private static readonly LocatorAssertionsToBeVisibleOptions Slower = new() { Timeout = 60_000 };

    [Fact]
    public async Task A_launched_environment_goes_from_the_form_to_running_to_terminated()
    {
        var page = await fixture.Chromium.NewPageAsync();
        try
        {
            await page.GotoAsync(fixture.Mirage.WebUri.ToString());
            await Expect(page.Locator("h1")).ToHaveTextAsync("Environments");

            // The launcher: the configured parameters, the default task definition, then launch.
            await page.GetByRole(AriaRole.Link, new() { Name = "Launch environment" }).First.ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/launcher$"));
            await Expect(page.Locator("input[name=taskdef]")).ToHaveValueAsync("demo");
            await Expect(page.Locator("#param-branch")).ToHaveAttributeAsync("placeholder", "your branch");
            await Expect(page.Locator("#param-size")).ToHaveValueAsync("small");
            await Expect(page.Locator("label[for=param-branch] .req")).ToBeVisibleAsync();
            await Expect(page.Locator("label[for=param-api_token] .opt")).ToBeVisibleAsync();
            await Expect(page.Locator("#param-api_token")).ToHaveAttributeAsync("type", "password");
            await page.FillAsync("#subdomain", "ui-demo");
            await page.FillAsync("#param-branch", "feature/ui");
            await page.SelectOptionAsync("#param-size", "large");
            await page.FillAsync("#param-api_token", "s3cr3t-value");
            await Chromium.ScreenshotAsync(page, "launcher");
            await page.GetByRole(AriaRole.Button, new() { Name = "Launch", Exact = true }).ClickAsync();

            // Back on the list, the row is there at once and becomes Running by itself.
            await Expect(page).ToHaveURLAsync(new Regex("/\\?launched=ui-demo$"));
            await page.EvaluateAsync("() => { window.__notReloaded = true; }");
            var row = page.Locator("tr[data-subdomain=ui-demo]");
            await Expect(row.Locator("[data-role=state]")).ToHaveTextAsync("Running", Slow);
            await Expect(row).ToContainTextAsync("feature/ui");
            await Expect(row).ToContainTextAsync("demo");

            // An environment launched elsewhere appears without a reload.
            using (var api = fixture.Mirage.CreateClient())
            {
                using var launched = await api.PostAsJsonAsync("/api/launch",
                    new { subdomain = "ui-other", branch = "main", taskdef = new[] { "demo" } }, TestContext.Current.CancellationToken);
                Assert.True(launched.IsSuccessStatusCode, fixture.Mirage.Explain($"API launch answered {launched.StatusCode}"));
            }
            await Expect(page.Locator("tr[data-subdomain=ui-other] [data-role=state]")).ToHaveTextAsync("Running", Slow);
            Assert.True(await page.EvaluateAsync<bool>("() => window.__notReloaded === true"), "the list page was reloaded instead of updating itself");
            await Chromium.ScreenshotAsync(page, "list");

            // The environment's URL serves the demo app, which shows the subdomain.
            var url = await row.Locator("a.url").GetAttributeAsync("href");
            Assert.Equal($"http://ui-demo.localtest.me:{fixture.Mirage.Port}/", url);
            var app = await page.Context.NewPageAsync();
            await app.GotoAsync(url!);
            await Expect(app.Locator("#subdomain")).ToHaveTextAsync("ui-demo");
            await Expect(app.Locator("#branch")).ToHaveTextAsync("feature/ui");
            await app.CloseAsync();

            // The environment page: conditions, masked secret, tasks, logs (the request just made), events.
            await row.Locator("a.subdomain").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/environments/ui-demo$"));
            await Expect(page.Locator("tr[data-condition=Ready] .cond")).ToHaveTextAsync("True", Slow);
            await Expect(page.Locator("tr[data-condition=RouteProgrammed] .cond")).ToHaveTextAsync("True", Slow);
            await Expect(page.Locator(".props").First).ToContainTextAsync("large");
            Assert.DoesNotContain("s3cr3t-value", await page.ContentAsync(), StringComparison.Ordinal);
            await Expect(page.Locator("#log-lines")).ToContainTextAsync("GET / 200", new() { Timeout = 60_000 });
            await Expect(page.Locator(".events")).ToContainTextAsync("RouteLive");
            await Expect(page.Locator("#access-count")).ToHaveTextAsync(new Regex("^\\d+$"));
            await Chromium.ScreenshotAsync(page, "environment");

            // The trace of its task: lifecycle milestones and the log line written at start.
            await page.Locator(".tasks a.mono").First.ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/trace/[0-9a-f]+$"));
            await Expect(page.Locator(".milestones li.reached")).ToHaveCountAsync(4);
            await Expect(page.Locator(".timeline")).ToContainTextAsync("Started");
            await Expect(page.Locator(".timeline")).ToContainTextAsync("demo-app serving ui-demo");
            await Chromium.ScreenshotAsync(page, "trace");

            // Terminate from the list: confirm the dialog, see Terminating, then the row leaves.
            await page.GotoAsync(fixture.Mirage.WebUri.ToString());
            string? dialogText = null;
            page.Dialog += async (_, dialog) =>
            {
                dialogText = dialog.Message;
                await dialog.AcceptAsync();
            };
            row = page.Locator("tr[data-subdomain=ui-demo]");
            await row.GetByRole(AriaRole.Button, new() { Name = "Terminate" }).ClickAsync();
            await Expect(page.Locator("tr[data-subdomain=ui-demo]")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
            Assert.Equal("Terminate ui-demo? Its tasks are stopped and its URL stops answering.", dialogText);
            await Expect(page.Locator("tr[data-subdomain=ui-other]")).ToHaveCountAsync(1);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            await Chromium.ScreenshotAsync(page, "failure-launch-flow");
            throw new InvalidOperationException(fixture.Mirage.Explain(e.Message), e);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Sleep_and_Wake_from_the_environment_page_show_the_Sleeping_badge_and_bring_the_app_back()
    {
        using (var api = fixture.Mirage.CreateClient())
        {
            using var launched = await api.PostAsJsonAsync("/api/launch",
                new { subdomain = "ui-nap", branch = "main", taskdef = new[] { "demo" }, wait = true }, TestContext.Current.CancellationToken);
            Assert.True(launched.IsSuccessStatusCode, fixture.Mirage.Explain($"API launch answered {launched.StatusCode}"));
        }
        var page = await fixture.Chromium.NewPageAsync();
        try
        {
            var dialogs = new List<string>();
            page.Dialog += async (_, dialog) =>
            {
                dialogs.Add(dialog.Message);
                await dialog.AcceptAsync();
            };
            await page.GotoAsync(new Uri(fixture.Mirage.WebUri, "/environments/ui-nap").ToString());
            await Expect(page.Locator("#env-state [data-role=state]")).ToHaveTextAsync("Running", Slow);
            await Expect(page.Locator("#slept-hours")).ToHaveTextAsync("0.0");

            await page.Locator("[data-role=sleep]").ClickAsync();
            await Expect(page.Locator("#env-state [data-role=state]")).ToHaveTextAsync("Sleeping", Slow);
            await Expect(page.Locator("#env-state .state-sleeping")).ToBeVisibleAsync();
            Assert.Equal("Put ui-nap to sleep? Its tasks stop; the first request to its URL wakes it.", dialogs.Single());
            await Expect(page.Locator("tr[data-condition=Ready] .cond")).ToHaveTextAsync("False", Slow);
            await Chromium.ScreenshotAsync(page, "environment-sleeping");

            // The list shows the badge too.
            await page.GotoAsync(fixture.Mirage.WebUri.ToString());
            await Expect(page.Locator("tr[data-subdomain=ui-nap] [data-role=state]")).ToHaveTextAsync("Sleeping", Slow);

            await page.GotoAsync(new Uri(fixture.Mirage.WebUri, "/environments/ui-nap").ToString());
            await page.Locator("[data-role=wake]").ClickAsync();
            await Expect(page.Locator("#env-state [data-role=state]")).ToHaveTextAsync("Running", Slow);
            // The buttons are not a live part: a reload offers Sleep again.
            await page.ReloadAsync();
            await Expect(page.Locator("[data-role=sleep]")).ToBeVisibleAsync(Slower);
            Assert.Equal("Wake ui-nap? Its tasks start again.", dialogs[^1]);

            var app = await page.Context.NewPageAsync();
            await app.GotoAsync($"http://ui-nap.localtest.me:{fixture.Mirage.Port}/");
            await Expect(app.Locator("#subdomain")).ToHaveTextAsync("ui-nap");
            await app.CloseAsync();
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            await Chromium.ScreenshotAsync(page, "failure-sleep-wake");
            throw new InvalidOperationException(fixture.Mirage.Explain(e.Message), e);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_refused_launch_is_explained_in_the_page_and_keeps_the_form()
    {
        var page = await fixture.Chromium.NewPageAsync();
        try
        {
            await page.GotoAsync(new Uri(fixture.Mirage.WebUri, "/launcher").ToString());
            await page.FillAsync("#subdomain", "ui-refused");
            await page.FillAsync("#param-branch", "main");
            await page.FillAsync("input[name=taskdef]", "no-such-family");
            await page.GetByRole(AriaRole.Button, new() { Name = "Launch", Exact = true }).ClickAsync();
            var error = page.Locator("#form-error");
            await Expect(error).ToBeVisibleAsync();
            await Expect(error.Locator("strong")).ToContainTextAsync("There is no task definition “no-such-family”");
            await Expect(error.Locator(".detail code")).ToContainTextAsync("task definition no-such-family is not found");
            await Expect(page).ToHaveURLAsync(new Regex("/launcher$"));
            await Expect(page.Locator("#subdomain")).ToHaveValueAsync("ui-refused");
            await Chromium.ScreenshotAsync(page, "launcher-error");

            // Another task definition can be added, and removed again.
            await page.GetByRole(AriaRole.Button, new() { Name = "+ Add another task definition" }).ClickAsync();
            await Expect(page.Locator("input[name=taskdef]")).ToHaveCountAsync(2);
            await page.Locator("[data-action=remove-taskdef]").Nth(1).ClickAsync();
            await Expect(page.Locator("input[name=taskdef]")).ToHaveCountAsync(1);

            // What the sign-in middleware would answer is shown as a sentence, not as JSON.
            await page.RouteAsync("**/launch", route => route.FulfillAsync(new RouteFulfillOptions
            {
                Status = 401,
                ContentType = "application/json",
                Body = "{\"message\":\"Unauthorized\"}",
            }));
            await page.FillAsync("input[name=taskdef]", "demo");
            await page.GetByRole(AriaRole.Button, new() { Name = "Launch", Exact = true }).ClickAsync();
            await Expect(error).ToContainTextAsync("You are not signed in, or your sign-in has expired");

            // Without the script, the server answers the form itself: the launcher again, with the reason.
            using var api = fixture.Mirage.CreateClient();
            using var form = new FormUrlEncodedContent([new("subdomain", "ui-refused"), new("taskdef", "demo")]);
            // A browser sends Origin with every form POST; the CSRF check refuses one without it.
            using var post = new HttpRequestMessage(HttpMethod.Post, "/launch") { Content = form };
            post.Headers.TryAddWithoutValidation("Origin", $"http://mirage.localtest.me:{fixture.Mirage.Port}");
            using var refused = await api.SendAsync(post, TestContext.Current.CancellationToken);
            var html = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("“branch” is required: fill it in and launch again.", html, StringComparison.Ordinal);
            Assert.Contains("lack require parameter: branch", html, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            await Chromium.ScreenshotAsync(page, "failure-refused-launch");
            throw new InvalidOperationException(fixture.Mirage.Explain(e.Message), e);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
