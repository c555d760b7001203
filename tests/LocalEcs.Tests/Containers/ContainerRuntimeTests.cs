using System.Net;
using System.Text.Json;
using Mirage.LocalEcs.Docker;
using Mirage.LocalEcs.Tasks;
using Mirage.Model.Backend;
using Mirage.TestKit;
using Mirage.TestKit.Containers;

namespace Mirage.LocalEcs.Tests.Containers;

/// <summary>The docker runtime against a real engine (podman's Docker-API service), with a locally built busybox image.</summary>
public sealed class ContainerRuntimeTests(ContainerEngineFixture engine, MotoFixture moto) : IClassFixture<ContainerEngineFixture>, IClassFixture<MotoFixture>
{
    private const string Image = ContainerEngineFixture.Image;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Two_containers_of_a_task_share_localhost_and_publish_their_ports_on_loopback()
    {
        await using var ecs = Harness();
        ecs.WriteTaskDefinition("pair.json", new
        {
            family = "pair",
            containerDefinitions = new object[]
            {
                new
                {
                    name = "web",
                    image = Image,
                    entryPoint = new[] { "/bin/sh", "-c" },
                    command = new[] { "mkdir -p /tmp/www && echo \"hello from $GREETING on $PORT\" > /tmp/www/index.html && echo web-ready && exec httpd -f -p ${PORT} -h /tmp/www" },
                    environment = new[] { new { name = "GREETING", value = "web" } },
                    portMappings = new[] { new { containerPort = 8080 } },
                },
                new
                {
                    name = "front",
                    image = Image,
                    entryPoint = new[] { "/bin/sh", "-c" },
                    command = new[] { "mkdir -p /tmp/f && until wget -qO /tmp/f/index.html http://127.0.0.1:8080/; do sleep 0.2; done; echo fetched-over-localhost; exec httpd -f -p 9090 -h /tmp/f" },
                    portMappings = new[] { new { containerPort = 9090 } },
                },
            },
        });
        var task = await ecs.RunAsync("pair");
        var running = await ecs.WaitRunningAsync(task.Arn);

        Assert.All(running.Containers, c => Assert.Matches("^[0-9a-f]{64}$", c.ContainerId));
        var front = running.Ports.Single(p => p.ContainerName == "front");
        Assert.Equal(("127.0.0.1", 9090), (front.Host, front.ContainerPort));
        var observed = running.ToObservedTask();
        Assert.Contains(observed.Ports, p => p.ContainerName == "web" && p.ContainerPort == 8080 && p.Host == "127.0.0.1" && p.HostPort > 0);

        // The front container fetched the web container's page over the shared localhost, and serves it on its published port.
        var page = await GetWithRetryAsync(new Uri($"http://127.0.0.1:{front.HostPort}/"));
        Assert.Equal("hello from web on 8080", page.Trim());
        await ecs.WaitForLogAsync(task.Arn, "fetched-over-localhost");
        Assert.Contains(ecs.Logs(task.Arn), l => l.Container == "web" && l.Message == "web-ready");

        await ecs.Backend.StopTaskAsync(task.Arn, "done", TestContext.Current.CancellationToken);
        var stopped = await ecs.WaitStoppedAsync(task.Arn);
        Assert.Equal("UserInitiated", stopped.StopCode);
        using var client = new DockerEngineClient(engine.DockerHost);
        // STOPPED is recorded before the containers are released, so their removal follows shortly after.
        await Eventually.HoldsAsync(
            async () =>
            {
                foreach (var container in stopped.Containers)
                {
                    if (await client.InspectContainerAsync(container.ContainerId!, TestContext.Current.CancellationToken) is not null)
                    {
                        return false;
                    }
                }
                return true;
            },
            TimeSpan.FromSeconds(30),
            () => "the stopped task's containers are still in the engine",
            TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task An_exiting_essential_container_stops_the_task_with_its_exit_code_and_output()
    {
        await using var ecs = Harness();
        ecs.WriteTaskDefinition("exit.json", new
        {
            family = "exit",
            containerDefinitions = new object[]
            {
                new { name = "app", image = Image, command = new[] { "sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3" } },
            },
        });
        var task = await ecs.RunAsync("exit");
        var stopped = await ecs.WaitStoppedAsync(task.Arn);

        var app = stopped.Containers.Single();
        Assert.Equal(3, app.ExitCode);
        Assert.Equal(("Essential container in task exited", "EssentialContainerExited"), (stopped.StoppedReason, stopped.StopCode));
        var logs = ecs.Logs(task.Arn).Select(l => l.Message).ToList();
        Assert.Contains("to-stdout", logs);
        Assert.Contains("to-stderr", logs);
    }

    [Fact]
    public async Task A_missing_image_fails_the_task_with_a_pull_error()
    {
        await using var ecs = Harness();
        ecs.WriteTaskDefinition("missing.json", new
        {
            family = "missing",
            containerDefinitions = new object[] { new { name = "app", image = "localhost/mirage-no-such-image:404" } },
        });
        var task = await ecs.RunAsync("missing");
        var stopped = await ecs.WaitStoppedAsync(task.Arn);

        Assert.StartsWith("CannotPullContainerError: image 'localhost/mirage-no-such-image:404'", stopped.StoppedReason, StringComparison.Ordinal);
        Assert.Equal("TaskFailedToStart", stopped.StopCode);
        Assert.Equal(EcsTaskStatus.Stopped, stopped.Containers.Single().LastStatus);
    }

    [Fact]
    public async Task Metadata_and_credentials_endpoints_answer_from_inside_a_container()
    {
        await using var ecs = Harness(o => o.StsServiceUrl = moto.Moto.Endpoint.ToString());
        ecs.WriteTaskDefinition("probe.json", new
        {
            family = "probe",
            taskRoleArn = "arn:aws:iam::123456789012:role/preview-app",
            containerDefinitions = new object[]
            {
                new
                {
                    name = "probe",
                    image = Image,
                    entryPoint = new[] { "/bin/sh", "-c" },
                    command = new[]
                    {
                        "sleep 1; echo \"metadata=$(wget -qO- \"$ECS_CONTAINER_METADATA_URI_V4\")\"; " +
                        "echo \"stats=$(wget -qO- \"$ECS_CONTAINER_METADATA_URI_V4/stats\")\"; " +
                        // The AWS-documented v2 path has no id: the caller is found by its address.
                        "echo \"v2=$(wget -qO- \"${ECS_CONTAINER_METADATA_URI_V4%%/v4/*}/v2/metadata\")\"; " +
                        "echo \"credentials=$(wget -qO- --header \"Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN\" \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\")\"; " +
                        "exec sleep 300",
                    },
                },
            },
        });
        var task = await ecs.RunAsync("probe");
        var running = await ecs.WaitRunningAsync(task.Arn);
        var logs = await ecs.WaitForLogAsync(task.Arn, "credentials=");

        var container = running.Containers.Single();
        using var metadata = JsonDocument.Parse(Line(logs, "metadata="));
        Assert.Equal(container.ContainerId, metadata.RootElement.GetProperty("DockerId").GetString());
        Assert.Equal(container.IpAddress, metadata.RootElement.GetProperty("Networks")[0].GetProperty("IPv4Addresses")[0].GetString());
        using var stats = JsonDocument.Parse(Line(logs, "stats="));
        Assert.True(stats.RootElement.GetProperty("memory_stats").GetProperty("usage").GetInt64() > 0);
        Assert.Equal(container.ContainerId, stats.RootElement.GetProperty("id").GetString());
        using var v2 = JsonDocument.Parse(Line(logs, "v2="));
        Assert.Equal(task.Arn, v2.RootElement.GetProperty("TaskARN").GetString());
        using var credentials = JsonDocument.Parse(Line(logs, "credentials="));
        Assert.Equal("arn:aws:iam::123456789012:role/preview-app", credentials.RootElement.GetProperty("RoleArn").GetString());
        Assert.False(string.IsNullOrEmpty(credentials.RootElement.GetProperty("SecretAccessKey").GetString()));
    }

    private LocalEcsHarness Harness(Action<LocalEcsOptions>? configure = null)
    {
        engine.RequireEngine();
        return new LocalEcsHarness(o =>
        {
            o.Runtime = "docker";
            o.DockerHost = engine.DockerHost;
            o.StopGracePeriod = TimeSpan.FromSeconds(2);
            configure?.Invoke(o);
        });
    }

    private static string Line(IReadOnlyList<Mirage.Model.Backend.LogLine> logs, string prefix) =>
        logs.First(l => l.Message.StartsWith(prefix, StringComparison.Ordinal)).Message[prefix.Length..];

    private static async Task<string> GetWithRetryAsync(Uri uri) =>
        (await Eventually.ReadAsync<string?>(
            async () =>
            {
                try
                {
                    using var response = await Http.GetAsync(uri, TestContext.Current.CancellationToken);
                    return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken) : null;
                }
                catch (HttpRequestException)
                {
                    return null; // Not serving yet.
                }
            },
            body => body is not null, TimeSpan.FromSeconds(30), _ => $"{uri} did not answer 200", TestContext.Current.CancellationToken))!;
}
