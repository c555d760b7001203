using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Support;

public sealed class MirageProcessTests
{
    [Fact]
    public async Task It_starts_on_its_port_answers_and_stops_cleanly_on_SIGTERM()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions(), cancellationToken);
        using var client = mirage.CreateClient();
        var list = await client.GetStringAsync("/api/list", cancellationToken);
        Assert.Equal("{\"result\":[]}\n", list.Replace("\r", "", StringComparison.Ordinal).TrimEnd() + "\n");
        Assert.Contains($"http://mirage.localtest.me:{mirage.Port}/", mirage.Output, StringComparison.Ordinal);

        Assert.Equal(0, await mirage.StopAsync(cancellationToken));
        Assert.True(mirage.HasExited);
    }

    [Fact]
    public async Task A_bad_config_fails_the_start_with_mirages_own_message()
    {
        var start = MirageProcess.StartAsync(
            new MirageProcessOptions { ConfigText = MirageProcess.LocalConfig + "htmldir: [not, a, string]\n" }, TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => start);
        Assert.Contains("mirage exited with code 1 before answering", error.Message, StringComparison.Ordinal);
        Assert.Contains("htmldir", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_fails_the_start_with_one_line_naming_the_port_and_what_to_change()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;

        var start = MirageProcess.StartAsync(new MirageProcessOptions { Port = port }, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => start);
        Assert.Contains("mirage exited with code 1 before answering", error.Message, StringComparison.Ordinal);
        Assert.Contains($"mirage: cannot listen on 127.0.0.1 port(s) {port}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("change listen.http", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_SIGKILL_a_restart_on_the_same_data_finds_the_environment_again()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var dataDir = Directory.CreateTempSubdirectory("mirage-e2e-data-").FullName;
        try
        {
            await using var first = await MirageProcess.StartAsync(new MirageProcessOptions { DataDir = dataDir }, cancellationToken);
            using (var client = first.CreateClient())
            {
                using var launch = new StringContent("{\"subdomain\":\"crash\",\"branch\":\"main\",\"taskdef\":[\"demo\"],\"wait\":true}",
                    System.Text.Encoding.UTF8, "application/json");
                using var launched = await client.PostAsync("/api/launch", launch, cancellationToken);
                Assert.True(launched.IsSuccessStatusCode, first.Explain($"launch answered {launched.StatusCode}"));
            }
            await first.KillAsync(cancellationToken);
            Assert.True(first.HasExited);
            Assert.NotEqual(0, first.ExitCode);

            await using var second = await MirageProcess.StartAsync(new MirageProcessOptions { DataDir = dataDir }, cancellationToken);
            using var again = second.CreateClient();
            var list = await again.GetStringAsync("/api/list", cancellationToken);
            Assert.Contains("\"subdomain\":\"crash\"", list, StringComparison.Ordinal);
            Assert.Equal(0, await second.StopAsync(cancellationToken));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
