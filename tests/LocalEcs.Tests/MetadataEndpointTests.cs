using System.Globalization;
using System.Net;
using System.Text.Json;
using Mirage.LocalEcs.Endpoints;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Tests;

public sealed class MetadataEndpointTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task V4_container_and_task_metadata_describe_the_real_process()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("web.json", TaskDefinitionsForTests.HttpServer());
        var task = await ecs.RunAsync("web", tags: [LocalEcsHarness.ManagedBy, new EcsTag("branch", "feature/x")]);
        var running = await ecs.WaitRunningAsync(task.Arn);
        var pid = running.Containers.Single().Pid!.Value;
        var port = running.Ports.Single().HostPort;
        var uri = $"{await ecs.EndpointAsync()}v4/{running.TaskId}/web";

        using var container = await GetJsonAsync(uri);
        var c = container.RootElement;
        Assert.Equal("web", c.GetProperty("Name").GetString());
        Assert.Matches("^[0-9a-f]{64}$", c.GetProperty("DockerId").GetString());
        Assert.StartsWith("ecs-web-1-web-", c.GetProperty("DockerName").GetString(), StringComparison.Ordinal);
        Assert.Equal("python:3", c.GetProperty("Image").GetString());
        Assert.Equal(EcsTaskStatus.Running, c.GetProperty("KnownStatus").GetString());
        Assert.Equal(EcsTaskStatus.Running, c.GetProperty("DesiredStatus").GetString());
        Assert.Equal("NORMAL", c.GetProperty("Type").GetString());
        Assert.Equal(pid.ToString(CultureInfo.InvariantCulture), c.GetProperty("Labels").GetProperty(MetadataBuilder.PidLabel).GetString());
        Assert.Equal(task.Arn, c.GetProperty("Labels").GetProperty("com.amazonaws.ecs.task-arn").GetString());
        Assert.Contains("http.server", File.ReadAllText($"/proc/{pid}/cmdline"), StringComparison.Ordinal);
        var mapping = c.GetProperty("Ports")[0];
        Assert.Equal((8080, port, "127.0.0.1", "tcp"), (mapping.GetProperty("ContainerPort").GetInt32(), mapping.GetProperty("HostPort").GetInt32(), mapping.GetProperty("HostIp").GetString(), mapping.GetProperty("Protocol").GetString()));
        Assert.Equal((256, 128), (c.GetProperty("Limits").GetProperty("CPU").GetInt32(), c.GetProperty("Limits").GetProperty("Memory").GetInt32()));
        Assert.Equal("127.0.0.1", c.GetProperty("Networks")[0].GetProperty("IPv4Addresses")[0].GetString());
        Assert.StartsWith($"arn:aws:ecs:us-east-1:123456789012:container/mirage-local/{running.TaskId}/", c.GetProperty("ContainerARN").GetString(), StringComparison.Ordinal);
        var startedAt = DateTimeOffset.Parse(c.GetProperty("StartedAt").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(startedAt, running.CreatedAt.AddSeconds(-2), running.StartedAt!.Value.AddSeconds(2));
        Assert.False(c.TryGetProperty("ExitCode", out _));

        using var taskJson = await GetJsonAsync(uri + "/task");
        var t = taskJson.RootElement;
        Assert.Equal(("mirage-local", task.Arn, "web", "1", EcsTaskStatus.Running), (t.GetProperty("Cluster").GetString(), t.GetProperty("TaskARN").GetString(), t.GetProperty("Family").GetString(), t.GetProperty("Revision").GetString(), t.GetProperty("KnownStatus").GetString()));
        Assert.False(t.GetProperty("FaultInjectionEnabled").GetBoolean());
        Assert.Equal("EC2", t.GetProperty("LaunchType").GetString());
        Assert.Equal("us-east-1a", t.GetProperty("AvailabilityZone").GetString());
        Assert.False(t.TryGetProperty("ServiceName", out _), "a task RunTask started has no service");
        // A process task is in the host's network on loopback, as the agent reports host mode.
        Assert.Equal("host", t.GetProperty("Containers")[0].GetProperty("Networks")[0].GetProperty("NetworkMode").GetString());
        Assert.Equal(1, t.GetProperty("Containers").GetArrayLength());
        Assert.True(t.TryGetProperty("PullStartedAt", out _));
        Assert.False(t.TryGetProperty("TaskTags", out _));

        using var withTags = await GetJsonAsync(uri + "/taskWithTags");
        Assert.Equal("feature/x", withTags.RootElement.GetProperty("TaskTags").GetProperty("branch").GetString());
        Assert.Equal("Mirage", withTags.RootElement.GetProperty("TaskTags").GetProperty("ManagedBy").GetString());
    }

    [Fact]
    public async Task Stats_read_cpu_memory_and_pids_from_proc()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("web.json", TaskDefinitionsForTests.HttpServer());
        var task = await ecs.RunAsync("web");
        var running = await ecs.WaitRunningAsync(task.Arn);
        var baseUri = $"{await ecs.EndpointAsync()}";
        var dockerId = MetadataBuilder.DockerId(running, "web");

        using var first = await GetJsonAsync($"{baseUri}v4/{running.TaskId}/web/stats");
        using var second = await GetJsonAsync($"{baseUri}v4/{running.TaskId}/web/stats");
        var s = second.RootElement;
        Assert.True(s.GetProperty("memory_stats").GetProperty("usage").GetInt64() > 1024 * 1024, "python's resident memory is over 1 MiB");
        Assert.Equal(128L * 1024 * 1024, s.GetProperty("memory_stats").GetProperty("limit").GetInt64());
        Assert.True(s.GetProperty("pids_stats").GetProperty("current").GetInt64() >= 1);
        Assert.True(s.GetProperty("cpu_stats").GetProperty("cpu_usage").GetProperty("total_usage").GetInt64() > 0, "python spent CPU time starting");
        Assert.True(s.GetProperty("cpu_stats").GetProperty("system_cpu_usage").GetInt64() > 0);
        Assert.Equal(Environment.ProcessorCount, s.GetProperty("cpu_stats").GetProperty("online_cpus").GetInt32());
        Assert.Equal(first.RootElement.GetProperty("read").GetString(), s.GetProperty("preread").GetString());
        Assert.Equal(first.RootElement.GetProperty("cpu_stats").GetProperty("system_cpu_usage").GetInt64(), s.GetProperty("precpu_stats").GetProperty("system_cpu_usage").GetInt64());
        Assert.Equal(dockerId, s.GetProperty("id").GetString());
        Assert.True(s.TryGetProperty("networks", out _));

        using var v3 = await GetJsonAsync($"{baseUri}v3/{running.TaskId}/web/stats");
        Assert.False(v3.RootElement.TryGetProperty("id", out _));
        Assert.False(v3.RootElement.TryGetProperty("networks", out _));
        Assert.Equal(JsonValueKind.Null, v3.RootElement.GetProperty("blkio_stats").GetProperty("io_serviced_recursive").ValueKind);

        using var taskStats = await GetJsonAsync($"{baseUri}v4/{running.TaskId}/web/task/stats");
        Assert.True(taskStats.RootElement.GetProperty(dockerId).GetProperty("memory_stats").GetProperty("usage").GetInt64() > 0);
    }

    [Fact]
    public async Task V3_and_v2_shapes_and_unknown_ids()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("web.json", TaskDefinitionsForTests.HttpServer());
        var task = await ecs.RunAsync("web");
        var running = await ecs.WaitRunningAsync(task.Arn);
        var baseUri = $"{await ecs.EndpointAsync()}";

        using var v3 = await GetJsonAsync($"{baseUri}v3/{running.TaskId}/web");
        Assert.False(v3.RootElement.TryGetProperty("ContainerARN", out _));
        Assert.Equal("web", v3.RootElement.GetProperty("Name").GetString());
        using var v3Task = await GetJsonAsync($"{baseUri}v3/{running.TaskId}/web/task/");
        Assert.False(v3Task.RootElement.TryGetProperty("FaultInjectionEnabled", out _));
        Assert.False(v3Task.RootElement.TryGetProperty("LaunchType", out _));
        using var v2 = await GetJsonAsync($"{baseUri}v2/{running.TaskId}/metadata");
        Assert.Equal(task.Arn, v2.RootElement.GetProperty("TaskARN").GetString());
        using var v2Container = await GetJsonAsync($"{baseUri}v2/{running.TaskId}/metadata/web");
        Assert.Equal("web", v2Container.RootElement.GetProperty("Name").GetString());
        using var v2Stats = await GetJsonAsync($"{baseUri}v2/{running.TaskId}/stats");
        Assert.Single(v2Stats.RootElement.EnumerateObject());

        using var post = await Http.PostAsync(new Uri($"{baseUri}v4/{running.TaskId}/web"), null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        foreach (var missing in new[] { $"v4/{running.TaskId}/nope", "v4/0123/web", "v2/metadata", "v4" })
        {
            using var response = await Http.GetAsync(new Uri(baseUri + missing), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        using var unknownContainer = await Http.GetAsync(new Uri($"{baseUri}v4/{running.TaskId}/nope"), TestContext.Current.CancellationToken);
        Assert.Contains("container nope", await unknownContainer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_reaches_its_own_metadata_from_its_environment_and_v2_knows_the_caller()
    {
        await using var ecs = new LocalEcsHarness();
        const string script = """
            import json, os, urllib.request
            v4 = os.environ['ECS_CONTAINER_METADATA_URI_V4']
            v3 = os.environ['ECS_CONTAINER_METADATA_URI']
            base = v4.split('/v4/')[0]
            task = json.load(urllib.request.urlopen(v4 + '/task'))
            me = json.load(urllib.request.urlopen(v3))
            v2 = json.load(urllib.request.urlopen(base + '/v2/metadata'))
            print('TASK', task['TaskARN'], task['Containers'][0]['Labels']['com.mirage.local.pid'], os.getpid(), flush=True)
            print('V3', me['Name'], flush=True)
            print('V2', v2['TaskARN'], flush=True)
            """;
        ecs.WriteTaskDefinition("meta.json", new
        {
            family = "meta",
            containerDefinitions = new object[] { new { name = "probe", command = new[] { "/bin/sh", "-c", "/usr/bin/python3 -c \"$PROBE\"; sleep 600" }, environment = new[] { new { name = "PROBE", value = script } } } },
        });

        var task = await ecs.RunAsync("meta");
        var logs = await ecs.WaitForLogAsync(task.Arn, "V2 ");
        var shellPid = ecs.Snapshot(task.Arn).Containers.Single().Pid!.Value;

        var taskLine = logs.Single(l => l.Message.StartsWith("TASK ", StringComparison.Ordinal)).Message.Split(' ');
        Assert.Equal(task.Arn, taskLine[1]);
        Assert.Equal(shellPid.ToString(CultureInfo.InvariantCulture), taskLine[2]);
        Assert.NotEqual(taskLine[2], taskLine[3]);
        Assert.Contains(logs, l => l.Message == "V3 probe");
        Assert.Contains(logs, l => l.Message == $"V2 {task.Arn}");
    }

    private static async Task<JsonDocument> GetJsonAsync(string uri)
    {
        using var response = await Http.GetAsync(new Uri(uri), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {uri}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body);
    }
}
