using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Mirage.LocalEcs.Processes;
using Mirage.LocalEcs.Tasks;
using Mirage.Model.Backend;
using Mirage.TestKit;

namespace Mirage.LocalEcs.Tests;

public sealed class DurabilityTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task The_same_client_token_returns_the_task_already_started()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("web.json", TaskDefinitionsForTests.HttpServer());

        var first = await ecs.RunAsync("web", clientToken: "bench-r1-0", tags: [LocalEcsHarness.ManagedBy, new EcsTag("Subdomain", "YmVuY2g=")]);
        var again = await ecs.RunAsync("web", clientToken: "bench-r1-0");
        var other = await ecs.RunAsync("web", clientToken: "bench-r2-0");

        Assert.Equal(first.Arn, again.Arn);
        Assert.NotEqual(first.Arn, other.Arn);
        Assert.Equal("mirage-test", again.StartedBy);
        Assert.Equal("YmVuY2g=", again.Tag("Subdomain"));
        var listed = await ecs.Backend.ListTasksAsync(TaskDesiredStatus.Running, TestContext.Current.CancellationToken);
        Assert.Equal(2, listed.Count);
    }

    [Fact]
    public async Task Tasks_without_the_ManagedBy_tag_are_not_listed()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("sleep.json", TaskDefinitionsForTests.Shell("sleep", "sleep 600"));

        var mine = await ecs.RunAsync("sleep");
        await ecs.RunAsync("sleep", tags: [new EcsTag("ManagedBy", "someone-else")]);

        var listed = await ecs.Backend.ListTasksAsync(TaskDesiredStatus.Running, TestContext.Current.CancellationToken);
        Assert.Equal(mine.Arn, Assert.Single(listed).Arn);
        Assert.Empty(await ecs.Backend.ListTasksAsync(TaskDesiredStatus.Stopped, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task After_a_restart_live_processes_are_re_attached_and_the_client_token_still_holds()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("web.json", TaskDefinitionsForTests.HttpServer());
        ecs.WriteTaskDefinition("sleep.json", TaskDefinitionsForTests.Shell("sleep", "echo before; sleep 600"));
        var web = await ecs.RunAsync("web", clientToken: "web-token");
        var doomed = await ecs.RunAsync("sleep", clientToken: "sleep-token");
        var running = await ecs.WaitRunningAsync(web.Arn);
        await ecs.WaitRunningAsync(doomed.Arn);
        await ecs.WaitForLogAsync(doomed.Arn, "before");
        var port = running.Ports.Single().HostPort;
        var webPid = running.Containers.Single().Pid!.Value;
        var doomedPid = ecs.Snapshot(doomed.Arn).Containers.Single().Pid!.Value;
        var endpointBefore = await ecs.EndpointAsync();

        // Mirage "crashes"; while it is away one task's process dies.
        var doomedTicks = ProcFs.TryReadStat(doomedPid)!.StartTicks;
        await ecs.RestartAsync(async () =>
        {
            Assert.True(Posix.SignalGroup(doomedPid, Posix.SigKill));
            // The crashed instance's Process objects are disposed, so the child may linger as a zombie: that counts as exited.
            await WaitUntilAsync(() => !ProcFs.IsAlive(doomedPid, doomedTicks));
        });

        Assert.Equal(endpointBefore, await ecs.EndpointAsync());
        var listed = await ecs.Backend.ListTasksAsync(TaskDesiredStatus.Running, TestContext.Current.CancellationToken);
        var adopted = Assert.Single(listed);
        Assert.Equal(web.Arn, adopted.Arn);
        Assert.Equal(EcsTaskStatus.Running, adopted.LastStatus);
        Assert.Equal(webPid, ecs.Snapshot(web.Arn).Containers.Single().Pid);
        Assert.Equal(web.Arn, (await ecs.RunAsync("web", clientToken: "web-token")).Arn);
        using (var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}/"), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Contains(ecs.Logs(web.Arn), l => l.Message.Contains("re-attached", StringComparison.Ordinal));

        var dead = await ecs.WaitStoppedAsync(doomed.Arn);
        Assert.Equal("Task process exited while Mirage was not running", dead.StoppedReason);
        Assert.Equal("EssentialContainerExited", dead.StopCode);
        Assert.Null(dead.Containers.Single().ExitCode);
        Assert.Equal(doomed.Arn, (await ecs.RunAsync("sleep", clientToken: "sleep-token")).Arn);

        // Adopted processes still stop on request.
        await ecs.Backend.StopTaskAsync(web.Arn, "done", TestContext.Current.CancellationToken);
        var stopped = await ecs.WaitStoppedAsync(web.Arn);
        Assert.Equal("UserInitiated", stopped.StopCode);
        Assert.False(ProcFs.IsAlive(webPid, running.Containers.Single().StartTicks!.Value));
    }

    [Fact]
    public async Task A_task_journaled_before_its_processes_started_is_reported_as_failed_to_start()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("web.json", TaskDefinitionsForTests.HttpServer());
        var journaled = JournalEntry(ecs, "0123456789abcdef0123456789abcdef", EcsTaskStatus.Provisioning, stoppedAt: null);
        new TaskJournal(ecs.Options.JournalFolder).Write(journaled);

        await ecs.RestartAsync();
        var stopped = await ecs.WaitStoppedAsync(journaled.Arn);

        Assert.Equal("TaskFailedToStart", stopped.StopCode);
        Assert.Equal("Mirage stopped before the task's processes started", stopped.StoppedReason);
        Assert.Equal(journaled.Arn, (await ecs.RunAsync("web", clientToken: journaled.ClientToken)).Arn);
    }

    [Fact]
    public async Task Stopped_tasks_are_listed_for_the_retention_period_then_forgotten()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        await using var ecs = new LocalEcsHarness(time: clock);
        ecs.WriteTaskDefinition("web.json", TaskDefinitionsForTests.HttpServer());
        var journal = new TaskJournal(ecs.Options.JournalFolder);
        var entry = JournalEntry(ecs, "fedcba9876543210fedcba9876543210", EcsTaskStatus.Stopped, stoppedAt: clock.GetUtcNow());
        journal.Write(entry);
        await ecs.RestartAsync();

        clock.Advance(TimeSpan.FromMinutes(59));
        var listed = await ecs.Backend.ListTasksAsync(TaskDesiredStatus.Stopped, TestContext.Current.CancellationToken);
        Assert.Equal(entry.Arn, Assert.Single(listed).Arn);

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(await ecs.Backend.ListTasksAsync(TaskDesiredStatus.Stopped, TestContext.Current.CancellationToken));
        Assert.Empty(journal.ReadAll().Entries);
    }

    [Fact]
    public void The_journal_is_written_atomically_and_reads_back_equal()
    {
        var folder = Directory.CreateTempSubdirectory("journal-").FullName;
        try
        {
            var journal = new TaskJournal(folder);
            using var ecs = new DisposableHarness();
            var entry = JournalEntry(ecs.Harness, "00112233445566778899aabbccddeeff", EcsTaskStatus.Running, stoppedAt: null);
            journal.Write(entry);
            journal.Write(entry with { LastStatus = EcsTaskStatus.Stopping });
            File.WriteAllText(Path.Combine(folder, "broken.json"), "{ not json");

            var (entries, errors) = journal.ReadAll();

            Assert.Equal(EcsTaskStatus.Stopping, Assert.Single(entries).LastStatus);
            Assert.Equal(JsonSerializer.Serialize(entry with { LastStatus = EcsTaskStatus.Stopping }), JsonSerializer.Serialize(entries[0]));
            Assert.Contains("broken.json", Assert.Single(errors), StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static LocalTaskSnapshot JournalEntry(LocalEcsHarness ecs, string taskId, string status, DateTimeOffset? stoppedAt)
    {
        var definition = ecs.Catalog.Resolve("web");
        return new LocalTaskSnapshot
        {
            Arn = $"arn:aws:ecs:us-east-1:123456789012:task/mirage-local/{taskId}",
            TaskId = taskId,
            Definition = definition,
            ClientToken = "journaled-" + taskId,
            StartedBy = "mirage-test",
            Tags = [LocalEcsHarness.ManagedBy],
            LastStatus = status,
            DesiredStatus = status == EcsTaskStatus.Stopped ? EcsTaskStatus.Stopped : EcsTaskStatus.Running,
            CreatedAt = stoppedAt ?? DateTimeOffset.UnixEpoch,
            StoppedAt = stoppedAt,
            StoppedReason = stoppedAt is null ? null : "Essential container in task exited",
            AuthorizationTokenHash = LocalEcsBackend.HashToken("token"),
            Containers = [new LocalContainerSnapshot { Name = "web", LastStatus = status == EcsTaskStatus.Stopped ? EcsTaskStatus.Stopped : EcsTaskStatus.Pending, Ports = [new TaskPortBinding("web", 8080, "127.0.0.1", FreePort.Next())] }],
        };
    }

    private static Task WaitUntilAsync(Func<bool> condition) =>
        Eventually.HoldsAsync(() => Task.FromResult(condition()), TimeSpan.FromSeconds(30), () => "the condition did not hold", TestContext.Current.CancellationToken);

    private sealed class DisposableHarness : IDisposable
    {
        public LocalEcsHarness Harness { get; } = CreateHarness();

        public void Dispose() => Harness.DisposeAsync().AsTask().GetAwaiter().GetResult();

        private static LocalEcsHarness CreateHarness()
        {
            var harness = new LocalEcsHarness();
            harness.WriteTaskDefinition("web.json", TaskDefinitionsForTests.HttpServer());
            return harness;
        }
    }
}
