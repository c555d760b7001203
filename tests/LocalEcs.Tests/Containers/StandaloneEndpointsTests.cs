using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;
using Docker.DotNet.Models;
using Mirage.LocalEcs.Docker;
using Mirage.LocalEcs.Standalone;
using Mirage.TestKit;
using Mirage.TestKit.Containers;

namespace Mirage.LocalEcs.Tests.Containers;

/// <summary>
/// <c>mirage local-endpoints</c> against a real engine (podman): containers started outside Mirage, as Compose would,
/// call the endpoints on their network's gateway and are told apart by their source address; the test itself only
/// calls 127.0.0.1, naming containers in the path.
/// </summary>
public sealed class StandaloneEndpointsTests(ContainerEngineFixture engine, MotoFixture moto)
    : IClassFixture<ContainerEngineFixture>, IClassFixture<MotoFixture>, IAsyncLifetime
{
    private const string Network = "mirage-standalone-test";
    private const string Gateway = "169.254.171.1";
    private const string CredentialsToken = "standalone-test-token-0123456789";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly int _port = FreePort.Next();
    private readonly string _folder = Directory.CreateTempSubdirectory("mirage-standalone-").FullName;
    private readonly List<string> _containers = [];
    private DockerEngineClient? _client;
    private WebApplication? _app;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private DockerEngineClient Client => _client ?? throw new InvalidOperationException("not initialized");

    public async ValueTask InitializeAsync()
    {
        engine.RequireEngine();
        _client = new DockerEngineClient(engine.DockerHost);
        await Client.CreateNetworkAsync(Network, "169.254.171.0/24", Gateway, Token);
        // The original's override files: a task field it does not know, and a label merged into every container's.
        var taskOverrides = Path.Combine(_folder, "task-metadata.json");
        var containerOverrides = Path.Combine(_folder, "container-metadata.json");
        await File.WriteAllTextAsync(taskOverrides, """{"AvailabilityZone":"us-east-1a","Limits":{"CPU":0.25,"Memory":512}}""", Token);
        await File.WriteAllTextAsync(containerOverrides, """{"Labels":{"team":"platform"}}""", Token);
        var environment = new Dictionary<string, string>
        {
            ["TASK_METADATA_PATH"] = taskOverrides,
            ["CONTAINER_METADATA_PATH"] = containerOverrides,
            ["CLUSTER_ARN"] = "compose-cluster",
            ["TASK_TAGS"] = "team=platform,cost-center=42",
            ["STS_ENDPOINT"] = moto.Moto.Endpoint.ToString(),
            ["LOCAL_ENDPOINTS_TOKEN"] = CredentialsToken,
        };
        var settings = StandaloneSettings.FromEnvironment(n => environment.GetValueOrDefault(n), [$"127.0.0.1:{_port}", $"{Gateway}:{_port}"], engine.DockerHost);
        _app = StandaloneEndpointsHost.Build(settings, NullLoggerFactory.Instance, TimeProvider.System);
        await _app.StartAsync(Token);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _containers)
        {
            await Client.RemoveContainerAsync(id, CancellationToken.None);
        }
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        _client?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Containers_started_outside_Mirage_get_their_metadata_stats_and_credentials_by_source_address()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var project = "shop" + suffix;
        var baseUri = $"http://{Gateway}:{_port}";
        var web = await RunAsync($"{project}-web-1", project, "web", [], "exec httpd -f -p 8080");
        var other = await RunAsync($"other{suffix}-app-1", "other" + suffix, "app", [], "exec sleep 3600");
        // What Compose users set: the SDK variables pointing at the endpoints' address.
        var client = await RunAsync($"{project}-client-1", project, "client",
            [$"ECS_CONTAINER_METADATA_URI_V4={baseUri}/v4", $"ECS_CONTAINER_METADATA_URI={baseUri}/v3", $"AWS_CONTAINER_CREDENTIALS_FULL_URI={baseUri}/creds", $"AWS_CONTAINER_AUTHORIZATION_TOKEN={CredentialsToken}"],
            "for p in \"$ECS_CONTAINER_METADATA_URI_V4\" \"$ECS_CONTAINER_METADATA_URI_V4/task\" \"$ECS_CONTAINER_METADATA_URI_V4/taskWithTags\" " +
            "\"$ECS_CONTAINER_METADATA_URI_V4/stats\" \"$ECS_CONTAINER_METADATA_URI/task/stats\" " + $"\"{baseUri}/v2/metadata\" \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\"; " +
            "do echo \"answer=$(wget -qO- --header \"Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN\" \"$p\" || echo failed)\"; done; echo finished; exec sleep 3600");

        var answers = await AnswersAsync(client, 7);
        var self = JsonNode.Parse(answers[0])!;
        var task = JsonNode.Parse(answers[1])!;
        var tagged = JsonNode.Parse(answers[2])!;
        var stats = JsonNode.Parse(answers[3])!;
        var taskStats = JsonNode.Parse(answers[4])!.AsObject();
        var v2 = JsonNode.Parse(answers[5])!;
        var credentials = JsonNode.Parse(answers[6])!;

        var address = await AddressAsync(client);
        Assert.Equal(client, self["DockerId"]!.GetValue<string>());
        Assert.Equal("client", self["Name"]!.GetValue<string>());
        Assert.Equal($"{project}-client-1", self["DockerName"]!.GetValue<string>());
        Assert.Equal(address, self["Networks"]![0]!["IPv4Addresses"]![0]!.GetValue<string>());
        Assert.StartsWith("arn:aws:ecs:us-east-1:", self["ContainerARN"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("platform", project), (self["Labels"]!["team"]!.GetValue<string>(), self["Labels"]!["com.docker.compose.project"]!.GetValue<string>()));

        // The task is the caller's Compose project: not the other project's container.
        Assert.Equal("compose-cluster", task["Cluster"]!.GetValue<string>());
        Assert.Equal(project, task["Family"]!.GetValue<string>());
        Assert.Equal(["client", "web"], task["Containers"]!.AsArray().Select(c => c!["Name"]!.GetValue<string>()).Order());
        Assert.Equal(("us-east-1a", 512), (task["AvailabilityZone"]!.GetValue<string>(), task["Limits"]!["Memory"]!.GetValue<int>()));
        Assert.All(task["Containers"]!.AsArray(), c => Assert.Equal("platform", c!["Labels"]!["team"]!.GetValue<string>()));
        Assert.Null(task["TaskTags"]);
        Assert.Equal("platform", tagged["TaskTags"]!["team"]!.GetValue<string>());
        Assert.Equal(task["TaskARN"]!.GetValue<string>(), v2["TaskARN"]!.GetValue<string>());
        Assert.Equal(2, v2["Containers"]!.AsArray().Count);

        Assert.Equal(client, stats["id"]!.GetValue<string>());
        Assert.NotNull(stats["cpu_stats"]);
        Assert.Equal(new[] { client, web }.Order(), taskStats.Select(p => p.Key).Order());

        Assert.False(string.IsNullOrEmpty(credentials["AccessKeyId"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(credentials["Token"]?.GetValue<string>()));

        // From this host the container is named in the path; the other project is its own task.
        using var otherTask = await Http.GetAsync(Local($"/v4/containers/other{suffix}-app-1/task"), Token);
        var otherJson = JsonNode.Parse(await otherTask.Content.ReadAsStringAsync(Token))!;
        Assert.Equal(HttpStatusCode.OK, otherTask.StatusCode);
        Assert.Equal([other], otherJson["Containers"]!.AsArray().Select(c => c!["DockerId"]!.GetValue<string>()));
        Assert.NotEqual(task["TaskARN"]!.GetValue<string>(), otherJson["TaskARN"]!.GetValue<string>());
        using var byIdPrefix = await Http.GetAsync(Local($"/v3/containers/{web[..12]}"), Token);
        Assert.Equal("web", JsonNode.Parse(await byIdPrefix.Content.ReadAsStringAsync(Token))!["Name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Errors_are_JSON_with_the_agent_status_codes()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await RunAsync($"dup{suffix}-a-1", "dup" + suffix, "a", [], "exec sleep 3600");
        await RunAsync($"dup{suffix}-b-1", "dup" + suffix, "b", [], "exec sleep 3600");

        var unknown = await GetAsync("/v4/containers/no-such-container-" + suffix);
        var ambiguous = await GetAsync($"/v4/containers/dup{suffix}");
        var noCaller = await GetAsync("/v4/task");
        var notARoute = await GetAsync("/latest/meta-data/");
        var badRole = await GetAsync("/role-arn/not-an-arn");

        Assert.Equal((HttpStatusCode.NotFound, JsonValueKind.String), (unknown.Status, unknown.Body.ValueKind));
        Assert.Contains("no-such-container", unknown.Body.GetString(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, JsonValueKind.String), (ambiguous.Status, ambiguous.Body.ValueKind));
        Assert.Contains($"dup{suffix}-a-1, dup{suffix}-b-1", ambiguous.Body.GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, noCaller.Status);
        Assert.Contains("name the container in the path", noCaller.Body.GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, notARoute.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badRole.Status);
        Assert.Equal("InvalidRequest", badRole.Body.GetProperty("code").GetString());
        Assert.Equal(400, badRole.Body.GetProperty("HTTPErrorCode").GetInt32());
    }

    private Uri Local(string path) => new($"http://127.0.0.1:{_port}{path}");

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Local(path));
        request.Headers.TryAddWithoutValidation("Authorization", CredentialsToken);
        using var response = await Http.SendAsync(request, Token);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return (response.StatusCode, json.RootElement.Clone());
    }

    /// <summary>Creates and starts a container as Compose would: its labels, on the shared network.</summary>
    private async Task<string> RunAsync(string name, string project, string service, string[] environment, string script)
    {
        var id = await Client.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = ContainerEngineFixture.Image,
            Entrypoint = ["/bin/sh", "-c"],
            Cmd = [script],
            Env = environment,
            Labels = new Dictionary<string, string>
            {
                ["com.docker.compose.project"] = project,
                ["com.docker.compose.service"] = service,
            },
            HostConfig = new HostConfig { NetworkMode = Network },
        }, Token);
        _containers.Add(id);
        await Client.StartContainerAsync(id, Token);
        return id;
    }

    private async Task<string> AddressAsync(string id)
    {
        var inspect = await Client.InspectContainerAsync(id, Token);
        return inspect?.NetworkSettings?.Networks?[Network].IPAddress ?? throw new InvalidOperationException($"container {id} has no address on {Network}");
    }

    /// <summary>The <c>answer=…</c> lines the container printed, once it printed <c>finished</c>.</summary>
    private async Task<IReadOnlyList<string>> AnswersAsync(string id, int expected)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        var output = new StringBuilder();
        using var stream = await Client.FollowLogsAsync(id, 0, timeout.Token);
        var buffer = new byte[64 * 1024];
        try
        {
            while (await stream.ReadOutputAsync(buffer, 0, buffer.Length, timeout.Token) is { EOF: false } read)
            {
                output.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
                if (output.ToString().Contains("finished", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!Token.IsCancellationRequested)
        {
            // Finished, or timed out: the assertions below say which.
        }
        var answers = output.ToString().Split('\n').Where(l => l.StartsWith("answer=", StringComparison.Ordinal)).Select(l => l["answer=".Length..]).ToList();
        Assert.True(answers.Count == expected && answers.All(a => a != "failed"), $"the container's calls did not all answer:\n{output}");
        return answers;
    }
}
