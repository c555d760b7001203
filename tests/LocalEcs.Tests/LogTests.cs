using Microsoft.Extensions.Time.Testing;
using Mirage.LocalEcs.Logs;
using Mirage.Model.Backend;
using Mirage.TestKit;

namespace Mirage.LocalEcs.Tests;

public sealed class LogTests
{
    [Fact]
    public async Task Logs_keep_only_the_last_lines_of_each_container_with_timestamps()
    {
        await using var ecs = new LocalEcsHarness(o => o.LogLinesPerContainer = 100);
        ecs.WriteTaskDefinition("chatty.json", TaskDefinitionsForTests.Shell("chatty", "seq 1 5000; echo oops >&2; sleep 600"));
        var before = TimeProvider.System.GetUtcNow();

        var task = await ecs.RunAsync("chatty");
        await ecs.WaitForLogAsync(task.Arn, "oops");
        var logs = ecs.Logs(task.Arn);

        Assert.Equal(100, logs.Count);
        Assert.Equal("oops", logs[^1].Message);
        Assert.Equal(["4902", "4903"], logs.Take(2).Select(l => l.Message));
        Assert.All(logs, l => Assert.True(l.Timestamp >= before));
        Assert.Equal(logs.OrderBy(l => l.Timestamp).Select(l => l.Message), logs.Select(l => l.Message));
        Assert.Empty(ecs.Logs(task.Arn, since: TimeProvider.System.GetUtcNow().AddMinutes(1)));
        Assert.Equal(100, ecs.Logs(task.Arn, since: before).Count);
    }

    [Fact]
    public async Task A_log_file_over_its_cap_is_emptied_and_following_lines_are_still_read()
    {
        await using var ecs = new LocalEcsHarness(o => o.LogFileMaxBytes = 4096);
        ecs.WriteTaskDefinition("big.json", TaskDefinitionsForTests.Shell("big", "seq 1 3000; sleep 1; echo after-truncation; sleep 600"));

        var task = await ecs.RunAsync("big");
        await ecs.WaitForLogAsync(task.Arn, "after-truncation");

        var file = Path.Combine(ecs.Options.LogFolder, ecs.Snapshot(task.Arn).TaskId, "app.stdout.log");
        Assert.True(new FileInfo(file).Length < 4096, "the file was emptied after reading");
        Assert.Contains(ecs.Logs(task.Arn), l => l.Message == "3000");
    }

    [Fact]
    public void The_buffer_drops_the_oldest_lines_past_its_byte_cap()
    {
        var buffer = new LogBuffer(maxLines: 1000, maxBytes: 1024);
        var clock = new FakeTimeProvider(TestClock.Start);
        for (var i = 0; i < 100; i++)
        {
            buffer.Add(new LogLine(clock.GetUtcNow(), "app", new string('x', 99) + (i % 10)));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var lines = buffer.Read(null);

        Assert.Equal(10, lines.Count);
        Assert.Equal('0', lines[0].Message[^1]);
        Assert.Equal(3, buffer.Read(clock.GetUtcNow().AddSeconds(-3)).Count);
    }

    [Fact]
    public void The_tail_cuts_partial_and_very_long_lines()
    {
        var folder = Directory.CreateTempSubdirectory("tail-").FullName;
        try
        {
            var path = Path.Combine(folder, "out.log");
            var buffer = new LogBuffer(1000, 10 * 1024 * 1024);
            var tail = new LogFileTail(path, "app", buffer, new FakeTimeProvider(TestClock.Start), 1024 * 1024);
            File.WriteAllText(path, "one\r\ntw");
            tail.Poll();
            File.AppendAllText(path, "o\n" + new string('y', 20_000) + "\nlast");
            tail.Poll();
            tail.Flush();

            var messages = buffer.Read(null).Select(l => l.Message).ToList();

            Assert.Equal(["one", "two", new string('y', 16 * 1024), new string('y', 20_000 - 16 * 1024), "last"], messages);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
