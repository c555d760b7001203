using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.Api.Tests.LocalMode;

/// <summary>The README's promise, against a real mirage process running real local tasks on loopback.</summary>
[Collection(TimingCollection.Name)]
public sealed class LocalModeEndToEndTests : IAsyncLifetime
{
    private MirageProcess _mirage = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _mirage = await MirageProcess.StartAsync(new MirageProcessOptions(), Token);

    public async ValueTask DisposeAsync() => await _mirage.DisposeAsync();

    [Fact]
    public async Task A_launched_environment_answers_within_2s_and_is_gone_within_1s_of_terminate()
    {
        var launched = Stopwatch.StartNew();
        using (var launch = await _mirage.PostApiAsync("/api/launch", new { subdomain = "feature-x", branch = "feature/x", taskdef = new[] { "demo" } }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, launch.StatusCode);
            Assert.Equal("""{"result":"ok"}""", await launch.Content.ReadAsStringAsync(Token));
        }
        var page = await WaitForStatusAsync("feature-x.localtest.me", HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        var toReady = launched.Elapsed;
        Assert.Contains("<h1 id=\"subdomain\">feature-x</h1>", page, StringComparison.Ordinal);
        Assert.Contains("feature/x", page, StringComparison.Ordinal);
        Assert.True(toReady < TimeSpan.FromSeconds(2), $"the environment answered 200 after {toReady.TotalMilliseconds:0} ms, more than 2 s after the launch");

        var terminated = Stopwatch.StartNew();
        using (var terminate = await _mirage.PostApiAsync("/api/terminate", new { subdomain = "feature-x" }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, terminate.StatusCode);
        }
        var notFound = await WaitForStatusAsync("feature-x.localtest.me", HttpStatusCode.NotFound, TimeSpan.FromSeconds(10));
        Assert.Equal("feature-x.localtest.me is not found\n", notFound);
        Assert.True(terminated.Elapsed < TimeSpan.FromSeconds(1), $"still routed {terminated.Elapsed.TotalMilliseconds:0} ms after terminate");
    }

    [Fact]
    public async Task Wildcard_precedence_is_by_launch_time_across_three_real_tasks()
    {
        foreach (var pattern in new[] { "foo-*", "foo-bar-*", "*-baz" })
        {
            await LaunchAndWaitAsync(pattern);
        }
        Assert.Contains(">foo-*</h1>", await GetPageAsync("foo-bar-baz.localtest.me"), StringComparison.Ordinal);
        Assert.Contains(">*-baz</h1>", await GetPageAsync("x-baz.localtest.me"), StringComparison.Ordinal);

        using (await _mirage.PostApiAsync("/api/terminate", new { subdomain = "foo-*" }, Token))
        {
        }
        await Eventually.ReadAsync(
            () => GetPageAsync("foo-bar-baz.localtest.me"), page => page.Contains(">foo-bar-*</h1>", StringComparison.Ordinal), TimeSpan.FromSeconds(5),
            page => $"foo-bar-baz.localtest.me is not served by foo-bar-* once foo-* is gone: {page}", Token, TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public async Task Launch_with_wait_returns_when_ready_and_reports_unknown_task_definitions_up_front()
    {
        using var ready = await _mirage.PostApiAsync("/api/launch", new { subdomain = "waiter", branch = "main", taskdef = new[] { "demo" }, wait = true }, Token);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var page = await _mirage.SendAsync(HttpMethod.Get, "waiter.localtest.me", "/", cancellationToken: Token);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        using var unknown = await _mirage.PostApiAsync("/api/launch", new { subdomain = "nope", branch = "main", taskdef = new[] { "no-such-family" } }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("no-such-family", await unknown.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        using var details = await _mirage.SendAsync(HttpMethod.Get, MirageProcess.WebHost, "/api/environments/nope", cancellationToken: Token);
        Assert.Equal(HttpStatusCode.NotFound, details.StatusCode);
    }

    private async Task LaunchAndWaitAsync(string subdomain)
    {
        using var response = await _mirage.PostApiAsync("/api/launch", new { subdomain, branch = "main", taskdef = new[] { "demo" }, wait = true }, Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{subdomain}: {await response.Content.ReadAsStringAsync(Token)}\n{_mirage.Output}");
    }

    private async Task<string> GetPageAsync(string host)
    {
        using var response = await _mirage.SendAsync(HttpMethod.Get, host, "/", cancellationToken: Token);
        return await response.Content.ReadAsStringAsync(Token);
    }

    private async Task<string> WaitForStatusAsync(string host, HttpStatusCode wanted, TimeSpan timeout)
    {
        // Polled every 20 ms: the callers measure how soon the route changes.
        var (_, page) = await Eventually.ReadAsync(
            async () =>
            {
                using var response = await _mirage.SendAsync(HttpMethod.Get, host, "/", cancellationToken: Token);
                return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
            },
            read => read.StatusCode == wanted, timeout,
            read => $"{host} answered {(int)read.StatusCode}, not {(int)wanted}, for {timeout}\n{_mirage.Output}", Token, TimeSpan.FromMilliseconds(20));
        return page;
    }
}
