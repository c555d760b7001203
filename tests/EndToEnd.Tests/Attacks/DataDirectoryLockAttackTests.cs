using System.Net;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Attacks;

/// <summary>
/// Issue 12, item 8: a second mirage on the same data directory would start the first one's tasks again and overwrite
/// its intents. It must refuse to start, say which directory and which process hold it, and leave the first serving;
/// and a mirage killed with SIGKILL must not block its own restart.
/// </summary>
public sealed class DataDirectoryLockAttackTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mirage-attack-8-lock-").FullName;
    private readonly string _mark = Guid.NewGuid().ToString("N");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private MirageProcessOptions Options => new()
    {
        DataDir = Path.Combine(_folder, "data"),
        TaskDefinitions = Path.Combine(_folder, "task-definitions"),
    };

    public void Dispose()
    {
        MarkedProcesses.KillAll(_mark);
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_second_mirage_on_the_same_data_directory_refuses_to_start_and_the_first_keeps_serving()
    {
        await WriteTaskDefinitionAsync();
        await using var first = await MirageProcess.StartAsync(Options, Token);
        using (var launch = await first.PostApiAsync("/api/launch", new { subdomain = "owned", branch = "main", taskdef = new[] { "sleeper" } }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, launch.StatusCode);
        }
        var intentsBefore = Snapshot(Path.Combine(first.DataDir, "intents"));

        // Another port: only the directory is shared.
        var second = await Assert.ThrowsAsync<InvalidOperationException>(() => MirageProcess.StartAsync(Options, Token));

        Assert.Contains("mirage exited with code 1 before answering", second.Message, StringComparison.Ordinal);
        Assert.Contains($"the data directory {first.DataDir} is in use by another Mirage process (pid {first.ProcessId})", second.Message, StringComparison.Ordinal);
        Assert.False(first.HasExited, first.Explain("the first mirage exited"));
        var list = await first.GetJsonAsync("/api/list", Token);
        Assert.Contains(list.GetProperty("result").EnumerateArray(), r => r.GetProperty("subdomain").GetString() == "owned");
        Assert.Equal(intentsBefore, Snapshot(Path.Combine(first.DataDir, "intents")));
    }

    [Fact]
    public async Task A_mirage_killed_with_SIGKILL_leaves_no_lock_that_blocks_its_restart()
    {
        await WriteTaskDefinitionAsync();
        var killed = await MirageProcess.StartAsync(Options, Token);
        try
        {
            await killed.KillAsync(Token);
            Assert.True(File.Exists(Path.Combine(killed.DataDir, "mirage.lock")));

            await using var restarted = await MirageProcess.StartAsync(killed.Options, Token);

            Assert.False(restarted.HasExited);
            Assert.Equal(restarted.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                (await File.ReadAllTextAsync(Path.Combine(restarted.DataDir, "mirage.pid"), Token)).Trim());
        }
        finally
        {
            await killed.DisposeAsync();
        }
    }

    private Task WriteTaskDefinitionAsync()
    {
        Directory.CreateDirectory(Options.TaskDefinitions);
        return File.WriteAllTextAsync(Path.Combine(Options.TaskDefinitions, "sleeper.json"), SleeperTaskDefinition.Json(_mark), Token);
    }

    // Every intent file with its bytes: a refused second process must not have touched one.
    private static string Snapshot(string folder) =>
        string.Join('\n', Directory.EnumerateFiles(folder, "*.intent.json").Order(StringComparer.Ordinal)
            .Select(f => Path.GetFileName(f) + " " + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))));
}
