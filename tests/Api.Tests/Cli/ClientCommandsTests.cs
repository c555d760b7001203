using System.Diagnostics;
using Mirage.TestKit;

namespace Mirage.Api.Tests.Cli;

/// <summary>The command-line client as CI uses it: the real mirage executable against a real server.</summary>
public sealed class ClientCommandsTests : IAsyncLifetime
{
    private MirageProcess _server = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await MirageProcess.StartAsync(new MirageProcessOptions(), Token);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Launch_wait_list_logs_and_terminate()
    {
        var launch = await RunAsync("launch", "cli-env", "--branch", "feature/cli", "--taskdef", "demo", "--wait", "--timeout", "60");
        Assert.True(launch.ExitCode == 0, launch.Text);
        Assert.Contains("TaskLaunched", launch.Text, StringComparison.Ordinal);
        Assert.Contains("cli-env is ready: http://cli-env.localtest.me", launch.Text, StringComparison.Ordinal);

        var list = await RunAsync("list");
        Assert.True(list.ExitCode == 0, list.Text);
        Assert.Matches(@"cli-env\s+running\s+feature/cli", list.Text);

        // The demo app's startup line, from the task's stdout; Mirage reads that file on its poll, so ask until it is there.
        const string StartupLine = "demo-app serving cli-env on 127.0.0.1:";
        var logs = await Eventually.ReadAsync(
            () => RunAsync("logs", "cli-env", "--tail", "5"), l => l.ExitCode != 0 || l.Text.Contains(StartupLine, StringComparison.Ordinal), TimeSpan.FromSeconds(10),
            l => $"no startup line in the task's logs: {l.Text}", Token);
        Assert.True(logs.ExitCode == 0, logs.Text);
        Assert.Contains(StartupLine, logs.Text, StringComparison.Ordinal);

        var terminate = await RunAsync("terminate", "cli-env");
        Assert.Equal(0, terminate.ExitCode);
        Assert.Contains("terminating cli-env", terminate.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_and_unreachable_servers_are_reported_with_exit_code_1()
    {
        var refused = await RunAsync("launch", "0bad", "--taskdef", "demo");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("400: subdomain 0bad includes invalid characters", refused.Text, StringComparison.Ordinal);

        var badParam = await RunAsync("launch", "ok-name", "--taskdef", "demo", "-p", "novalue");
        Assert.Equal(1, badParam.ExitCode);
        Assert.Contains("write it as name=value", badParam.Text, StringComparison.Ordinal);

        var unreachable = await RunWithUrlAsync($"http://127.0.0.1:{FreePort.Next()}", "list");
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("cannot reach the server", unreachable.Text, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Text)> RunAsync(params string[] args) => RunWithUrlAsync($"http://127.0.0.1:{_server.Port}", args);

    private static async Task<(int ExitCode, string Text)> RunWithUrlAsync(string url, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "mirage"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.ArgumentList.Add("--url");
        start.ArgumentList.Add(url);
        start.ArgumentList.Add("--host");
        start.ArgumentList.Add(MirageProcess.WebHost);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Token);
        var stderr = process.StandardError.ReadToEndAsync(Token);
        await process.WaitForExitAsync(Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
