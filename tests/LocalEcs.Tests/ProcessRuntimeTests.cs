using System.Net;
using Mirage.LocalEcs.Processes;
using Mirage.LocalEcs.Tasks;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Tests;

public sealed class ProcessRuntimeTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task A_task_runs_and_its_port_answers_http()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("web.json", TaskDefinitionsForTests.HttpServer());

        var started = await ecs.RunAsync("web");
        Assert.Equal(EcsTaskStatus.Provisioning, started.LastStatus);
        Assert.Matches("^arn:aws:ecs:us-east-1:123456789012:task/mirage-local/[0-9a-f]{32}$", started.Arn);
        Assert.Equal("arn:aws:ecs:us-east-1:123456789012:task-definition/web:1", started.TaskDefinitionArn);

        var running = await ecs.WaitRunningAsync(started.Arn);
        var observed = running.ToObservedTask();
        var binding = Assert.Single(observed.Ports);
        Assert.Equal(("web", 8080, "127.0.0.1"), (binding.ContainerName, binding.ContainerPort, binding.Host));
        Assert.Equal("127.0.0.1", observed.IpAddress);
        Assert.NotNull(observed.StartedAt);
        Assert.True(observed.StartedAt >= observed.CreatedAt);

        using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{binding.HostPort}/"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Two_tasks_of_one_definition_run_side_by_side_on_their_own_ports()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("web.json", TaskDefinitionsForTests.HttpServer());

        var first = await ecs.RunAsync("web");
        var second = await ecs.RunAsync("web:1");
        var one = await ecs.WaitRunningAsync(first.Arn);
        var two = await ecs.WaitRunningAsync(second.Arn);

        Assert.NotEqual(first.Arn, second.Arn);
        var ports = new[] { one.Ports.Single().HostPort, two.Ports.Single().HostPort };
        Assert.NotEqual(ports[0], ports[1]);
        foreach (var port in ports)
        {
            using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}/"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var listed = await ecs.Backend.ListTasksAsync(TaskDesiredStatus.Running, TestContext.Current.CancellationToken);
        Assert.Equal(2, listed.Count);
    }

    [Fact]
    public async Task Environment_overrides_and_port_placeholders_reach_the_process()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("env.json", new
        {
            family = "env",
            containerDefinitions = new object[]
            {
                new
                {
                    name = "app",
                    entryPoint = new[] { "/bin/sh", "-c" },
                    command = new[] { "echo \"GREETING=$GREETING\"; echo \"SELF=$SELF_URL\"; echo \"PORT=$PORT P8080=$PORT_8080 ARG=$0\"; echo \"META=$ECS_CONTAINER_METADATA_URI_V4\"; exec /usr/bin/python3 -m http.server \"$PORT\" --bind 127.0.0.1", "${PORT_8080}" },
                    environment = new[]
                    {
                        new { name = "GREETING", value = "from-definition" },
                        new { name = "SELF_URL", value = "http://127.0.0.1:${PORT}/x" },
                    },
                    portMappings = new[] { new { containerPort = 8080 } },
                },
            },
        });

        var task = await ecs.RunAsync("env", overrides: [new ContainerOverride("app", [new EnvironmentVariable("GREETING", "from-override")])]);
        var running = await ecs.WaitRunningAsync(task.Arn);
        var port = running.Ports.Single().HostPort;

        var logs = await ecs.WaitForLogAsync(task.Arn, "META=");
        var text = string.Join("\n", logs.Select(l => l.Message));
        Assert.Contains("GREETING=from-override", text, StringComparison.Ordinal);
        Assert.Contains($"SELF=http://127.0.0.1:{port}/x", text, StringComparison.Ordinal);
        Assert.Contains($"PORT={port} P8080={port} ARG={port}", text, StringComparison.Ordinal);
        Assert.Contains($"META=http://127.0.0.1:{(await ecs.EndpointAsync()).Port}/v4/{running.TaskId}/app", text, StringComparison.Ordinal);
        Assert.All(logs, l => Assert.Equal("app", l.Container));
        var recorded = Assert.Single(running.ToObservedTask().Overrides);
        Assert.Equal("app", recorded.Name);
        Assert.Equal([new EnvironmentVariable("GREETING", "from-override")], recorded.Environment);
    }

    [Fact]
    public async Task An_essential_container_exiting_stops_the_task_with_its_exit_code()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("two.json", new
        {
            family = "two",
            containerDefinitions = new object[]
            {
                new { name = "app", essential = true, command = new[] { "/bin/sh", "-c", "sleep 1; exit 3" } },
                new { name = "sidecar", essential = false, command = new[] { "/bin/sleep", "600" } },
            },
        });

        var task = await ecs.RunAsync("two");
        await ecs.WaitForAsync(task.Arn, t => t.Containers.All(c => c.Pid is not null), "started");
        var sidecarPid = ecs.Snapshot(task.Arn).Containers.Single(c => c.Name == "sidecar").Pid!.Value;
        var stopped = await ecs.WaitStoppedAsync(task.Arn);

        Assert.Equal("Essential container in task exited", stopped.StoppedReason);
        Assert.Equal("EssentialContainerExited", stopped.StopCode);
        Assert.Equal(EcsTaskStatus.Stopped, stopped.DesiredStatus);
        Assert.Equal(3, stopped.Containers.Single(c => c.Name == "app").ExitCode);
        Assert.Equal(143, stopped.Containers.Single(c => c.Name == "sidecar").ExitCode);
        Assert.NotNull(stopped.StoppedAt);
        Assert.NotNull(stopped.StoppingAt);
        Assert.Null(ProcFs.TryReadStat(sidecarPid) is { HasExited: false } ? "alive" : null);
        var listed = await ecs.Backend.ListTasksAsync(TaskDesiredStatus.Stopped, TestContext.Current.CancellationToken);
        Assert.Equal(task.Arn, Assert.Single(listed).Arn);
    }

    [Fact]
    public async Task A_non_essential_container_exiting_keeps_the_task_running()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("side.json", new
        {
            family = "side",
            containerDefinitions = new object[]
            {
                new { name = "web", command = new[] { "/usr/bin/python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1" }, portMappings = new[] { new { containerPort = 80 } } },
                new { name = "migrate", essential = false, command = new[] { "/bin/sh", "-c", "echo migrated; exit 7" } },
            },
        });

        var task = await ecs.RunAsync("side");
        var after = await ecs.WaitForAsync(task.Arn, t => t.LastStatus == EcsTaskStatus.Running && t.Containers.Single(c => c.Name == "migrate").LastStatus == EcsTaskStatus.Stopped, "RUNNING with migrate exited");
        // LocalTask decides on stopping under the same lock that marks a container STOPPED, so the snapshot showing
        // migrate exited already holds that decision: no pause is needed to see that nothing follows.
        var later = ecs.Snapshot(task.Arn);

        Assert.Equal(7, after.Containers.Single(c => c.Name == "migrate").ExitCode);
        Assert.Equal(EcsTaskStatus.Running, later.LastStatus);
        Assert.Equal(EcsTaskStatus.Running, later.DesiredStatus);
        Assert.Equal(EcsTaskStatus.Running, later.Containers.Single(c => c.Name == "web").LastStatus);
        Assert.Contains(ecs.Logs(task.Arn), l => l.Container == "migrate" && l.Message == "migrated");
    }

    [Fact]
    public async Task StopTask_terminates_the_process_group_and_kills_what_ignores_sigterm()
    {
        await using var ecs = new LocalEcsHarness(o => o.StopGracePeriod = TimeSpan.FromSeconds(30));
        ecs.WriteTaskDefinition("stubborn.json", new
        {
            family = "stubborn",
            containerDefinitions = new object[]
            {
                new { name = "polite", command = new[] { "/bin/sh", "-c", "sleep 600 & wait" } },
                new { name = "stubborn", stopTimeout = 1, command = new[] { "/bin/sh", "-c", "trap '' TERM; echo ready; while true; do sleep 0.2; done" } },
            },
        });

        var task = await ecs.RunAsync("stubborn");
        await ecs.WaitRunningAsync(task.Arn);
        await ecs.WaitForLogAsync(task.Arn, "ready");
        var pids = ecs.Snapshot(task.Arn).Containers.Select(c => c.Pid!.Value).ToList();
        var children = pids.SelectMany(ProcFs.SessionMembers).Select(m => m.Pid).ToList();
        Assert.True(children.Count > pids.Count, "the containers' children are in their sessions");

        await ecs.Backend.StopTaskAsync(task.Arn, "Terminated by test", TestContext.Current.CancellationToken);
        var stopped = await ecs.WaitStoppedAsync(task.Arn);

        Assert.Equal("Terminated by test", stopped.StoppedReason);
        Assert.Equal("UserInitiated", stopped.StopCode);
        Assert.Equal(143, stopped.Containers.Single(c => c.Name == "polite").ExitCode);
        Assert.Equal(137, stopped.Containers.Single(c => c.Name == "stubborn").ExitCode);
        Assert.All(children, pid => Assert.False(ProcFs.TryReadStat(pid) is { HasExited: false }, $"process {pid} is gone"));

        // Stopping again, or an unknown task, is not an error.
        await ecs.Backend.StopTaskAsync(task.Arn, "again", TestContext.Current.CancellationToken);
        await ecs.Backend.StopTaskAsync("arn:aws:ecs:us-east-1:123456789012:task/mirage-local/00000000000000000000000000000000", "none", TestContext.Current.CancellationToken);
        Assert.Equal("Terminated by test", ecs.Snapshot(task.Arn).StoppedReason);
    }

    [Fact]
    public async Task A_task_stopped_right_after_RunTask_ends_stopped_by_the_user()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("sleep.json", TaskDefinitionsForTests.Shell("sleep", "sleep 600"));

        var task = await ecs.RunAsync("sleep");
        await ecs.Backend.StopTaskAsync(task.Arn, "changed my mind", TestContext.Current.CancellationToken);
        var stopped = await ecs.WaitStoppedAsync(task.Arn);

        Assert.Equal(("changed my mind", "UserInitiated", EcsTaskStatus.Stopped), (stopped.StoppedReason, stopped.StopCode, stopped.DesiredStatus));
        // Whether the stop came before or after the process started, nothing is left running.
        Assert.All(stopped.Containers, c => Assert.Equal(EcsTaskStatus.Stopped, c.LastStatus));
        Assert.All(stopped.Containers.Where(c => c.Pid is not null), c => Assert.False(Processes.ProcFs.IsAlive(c.Pid!.Value, c.StartTicks!.Value)));
    }

    [Fact]
    public async Task Disposing_LocalEcs_stops_every_process()
    {
        var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("sleep.json", TaskDefinitionsForTests.Shell("sleep", "sleep 600"));
        var task = await ecs.RunAsync("sleep");
        await ecs.WaitRunningAsync(task.Arn);
        var pid = ecs.Snapshot(task.Arn).Containers.Single().Pid!.Value;

        await ecs.DisposeAsync();

        Assert.False(ProcFs.TryReadStat(pid) is { HasExited: false }, "the task's process is gone");
    }

    [Fact]
    public async Task A_missing_program_fails_the_task_with_a_clear_reason()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("typo.json", new { family = "typo", containerDefinitions = new object[] { new { name = "app", command = new[] { "pythno3", "-V" } } } });

        var task = await ecs.RunAsync("typo");
        var stopped = await ecs.WaitStoppedAsync(task.Arn);

        Assert.Equal("TaskFailedToStart", stopped.StopCode);
        Assert.Contains("pythno3", stopped.StoppedReason, StringComparison.Ordinal);
        Assert.Contains("CannotStartContainerError", stopped.Containers.Single().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_that_never_opens_fails_the_task_after_the_ready_timeout()
    {
        await using var ecs = new LocalEcsHarness(o => o.PortReadyTimeout = TimeSpan.FromSeconds(2));
        ecs.WriteTaskDefinition("deaf.json", new
        {
            family = "deaf",
            containerDefinitions = new object[] { new { name = "app", command = new[] { "/bin/sleep", "600" }, portMappings = new[] { new { containerPort = 80 } } } },
        });

        var task = await ecs.RunAsync("deaf");
        Assert.Equal(EcsTaskStatus.Pending, (await ecs.WaitForAsync(task.Arn, t => t.LastStatus != EcsTaskStatus.Provisioning, EcsTaskStatus.Pending)).LastStatus);
        var stopped = await ecs.WaitStoppedAsync(task.Arn);

        Assert.Null(stopped.StartedAt);
        Assert.Equal("TaskFailedToStart", stopped.StopCode);
        Assert.Contains("port 80 of container app", stopped.StoppedReason, StringComparison.Ordinal);
        Assert.Contains("within 2 s", stopped.StoppedReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_task_definitions_and_override_containers_are_refused_clearly()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("web.json", TaskDefinitionsForTests.HttpServer());

        var missing = await Assert.ThrowsAsync<TaskDefinitionNotFoundException>(() => ecs.RunAsync("nope"));
        Assert.Contains("known: web:1", missing.Message, StringComparison.Ordinal);
        var badOverride = await Assert.ThrowsAsync<ArgumentException>(() => ecs.RunAsync("web", overrides: [new ContainerOverride("db", [])]));
        Assert.Contains("'db' names no container of web:1 (containers: web)", badOverride.Message, StringComparison.Ordinal);
        Assert.Empty(await ecs.Backend.ListTasksAsync(TaskDesiredStatus.Running, TestContext.Current.CancellationToken));
    }
}
