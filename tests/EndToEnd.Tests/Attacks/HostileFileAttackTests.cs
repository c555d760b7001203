using System.Net;
using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Attacks;

/// <summary>
/// Issue 12, item 1: a file built to overflow the YAML parser's stack (200,000 <c>[</c>) is refused with its file and
/// line. A desired-environments file like it leaves the last good state applied, also across a restart; a config file
/// like it stops the start with the same message instead of aborting the process.
/// </summary>
public sealed class HostileFileAttackTests
{
    private static readonly string Bomb = "environments: " + new string('[', 200_000) + "\n";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_desired_environments_file_that_would_overflow_the_parser_is_refused_and_the_last_good_state_stays_across_a_restart()
    {
        var folder = Directory.CreateTempSubdirectory("mirage-attack-gitops-").FullName;
        var desired = Path.Combine(folder, "desired.yaml");
        try
        {
            await File.WriteAllTextAsync(desired, "environments:\n  - {subdomain: keeper, branch: main, taskdef: [demo]}\n", Token);
            var options = new MirageProcessOptions
            {
                ConfigText = MirageProcess.LocalConfig + $"gitops:\n  file: {desired}\n  check_interval: 1s\n",
                DataDir = Path.Combine(folder, "data"),
            };
            var mirage = await MirageProcess.StartAsync(options, Token);
            try
            {
                await ServesAsync(mirage);

                await File.WriteAllTextAsync(desired + ".tmp", Bomb, Token);
                File.Move(desired + ".tmp", desired, overwrite: true);
                await RefusedAsync(mirage, desired);
                await ServesAsync(mirage);

                // With the file still there, a restart comes up and keeps the environment.
                await mirage.StopAsync(Token);
                await mirage.DisposeAsync();
                mirage = await MirageProcess.StartAsync(mirage.Options, Token);
                await RefusedAsync(mirage, desired);
                await ServesAsync(mirage);
                Assert.False(mirage.HasExited, mirage.Explain("mirage exited"));
            }
            finally
            {
                await mirage.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_config_file_that_would_overflow_the_parser_stops_the_start_with_its_line()
    {
        var options = new MirageProcessOptions { ConfigText = MirageProcess.LocalConfig + "parameters: " + new string('[', 200_000) + "\n" };

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => MirageProcess.StartAsync(options, Token));

        // Exit code 1 with the config error, not 134 (SIGABRT) from a stack overflow.
        Assert.Contains("mirage exited with code 1 before answering", refused.Message, StringComparison.Ordinal);
        Assert.Matches(@"mirage: \S+mirage\.yaml:\d+:\d+: lists and mappings are nested more than 64 levels deep", refused.Message);
        Assert.DoesNotContain("Stack overflow", refused.Message, StringComparison.Ordinal);
    }

    private static async Task ServesAsync(MirageProcess mirage) =>
        await Eventually.HoldsAsync(async () =>
        {
            using var page = await mirage.SendAsync(HttpMethod.Get, "keeper.localtest.me", "/", cancellationToken: Token);
            return page.StatusCode == HttpStatusCode.OK;
        }, Patience, () => mirage.Explain("keeper.localtest.me does not answer 200"), Token);

    private static async Task RefusedAsync(MirageProcess mirage, string desired)
    {
        var gitops = await Eventually.ReadAsync(
            () => mirage.GetJsonAsync("/api/gitops", Token),
            g => g.GetProperty("error").ValueKind == JsonValueKind.String,
            Patience, g => mirage.Explain($"/api/gitops reports no error: {g}"), Token);
        var error = gitops.GetProperty("error").GetString()!;
        Assert.StartsWith($"{desired}:1:", error, StringComparison.Ordinal);
        Assert.Contains("nested more than 64 levels deep", error, StringComparison.Ordinal);
    }
}
