using System.Net;
using System.Text.RegularExpressions;
using Mirage.EndToEnd.Tests.Attacks;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Durability;

/// <summary>
/// Issue 12, item 8: the file store's write is durable only if the folder is flushed after the rename. Seen from the
/// outside, as the kernel sees it: a real mirage under strace, and the system calls of one launch.
/// </summary>
public sealed partial class FileIntentStoreFsyncTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mirage-fsync-").FullName;
    private readonly string _mark = Guid.NewGuid().ToString("N");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        MarkedProcesses.KillAll(_mark);
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_launch_renames_the_intent_into_place_and_then_fsyncs_the_intents_folder()
    {
        Assert.SkipUnless(File.Exists("/usr/bin/strace"), "strace is not installed");
        var definitions = Path.Combine(_folder, "task-definitions");
        Directory.CreateDirectory(definitions);
        await File.WriteAllTextAsync(Path.Combine(definitions, "sleeper.json"), SleeperTaskDefinition.Json(_mark), Token);
        var trace = Path.Combine(_folder, "trace.txt");
        var options = new MirageProcessOptions
        {
            DataDir = Path.Combine(_folder, "data"),
            TaskDefinitions = definitions,
            Wrapper = ["/usr/bin/strace", "-f", "-qq", "-y", "-e", "trace=rename,renameat,renameat2,fsync", "-o", trace],
            StartTimeout = TimeSpan.FromSeconds(180),
        };
        await using var mirage = await MirageProcess.StartAsync(options, Token);

        using (var launch = await mirage.PostApiAsync("/api/launch", new { subdomain = "durable", branch = "main", taskdef = new[] { "sleeper" } }, Token))
        {
            Assert.Equal(HttpStatusCode.OK, launch.StatusCode);
        }
        await StopTracedMirageAsync(mirage);

        var intents = Path.Combine(mirage.DataDir, "intents");
        var lines = await File.ReadAllLinesAsync(trace, Token);
        var rename = lines.Select((line, index) => (Match: RenameIntoIntents().Match(line), Index: index))
            .FirstOrDefault(r => r.Match.Success && r.Match.Groups["folder"].Value == intents);
        Assert.True(rename.Match is { Success: true }, $"no rename of an intent file into {intents}:\n{string.Join('\n', lines.Take(50))}");
        var thread = rename.Match.Groups["thread"].Value;
        var flushedAfter = lines.Skip(rename.Index + 1).Any(l => l.StartsWith(thread + " ", StringComparison.Ordinal) && l.Contains($"fsync(", StringComparison.Ordinal)
            && l.Contains($"<{intents}>) = 0", StringComparison.Ordinal));
        Assert.True(flushedAfter, $"thread {thread} did not fsync {intents} after the rename:\n{string.Join('\n', lines.Skip(rename.Index).Take(20))}");
    }

    // SIGKILL to mirage itself (strace's child): strace then exits with it, which closes the output pipes and
    // finishes the trace. Killing strace instead would leave mirage running, untraced, holding the pipes.
    private static async Task StopTracedMirageAsync(MirageProcess traced)
    {
        var child = LinuxProcess.DescendantsOf(traced.ProcessId)
            .FirstOrDefault(p => File.ReadAllText($"/proc/{p.Pid}/cmdline").Contains("mirage.dll", StringComparison.Ordinal));
        Assert.NotNull(child);
        using (var process = System.Diagnostics.Process.GetProcessById(child.Pid))
        {
            process.Kill();
        }
        await Eventually.HoldsAsync(() => Task.FromResult(traced.HasExited), TimeSpan.FromSeconds(30),
            () => traced.Explain("strace did not exit after mirage was killed"), Token);
    }

    // "1234 rename("/d/intents/ZHVyYWJsZQ.intent.json.tmp", "/d/intents/ZHVyYWJsZQ.intent.json") = 0" (or renameat/renameat2).
    // strace pads the thread id to five columns, so a four-digit id is followed by two spaces.
    [GeneratedRegex("""^(?<thread>\d+) +rename(at2?)?\(.*"(?<folder>/[^"]+)/[^"/]+\.intent\.json\.tmp".*"[^"]+\.intent\.json".*\) = 0""")]
    private static partial Regex RenameIntoIntents();
}
