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
    public async Task SIGKILL_ends_it_at_once()
    {
        await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions(), TestContext.Current.CancellationToken);
        await mirage.KillAsync(TestContext.Current.CancellationToken);
        Assert.True(mirage.HasExited);
        Assert.NotEqual(0, mirage.ExitCode);
    }
}
