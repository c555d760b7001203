using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mirage.LocalEcs.Docker;
using Mirage.TestKit;
using Mirage.TestKit.Containers;

namespace Mirage.EndToEnd.Tests.Containers;

/// <summary>
/// Issue #8: a two-container task whose containers talk over localhost, reached through the Edge. A real
/// <c>mirage</c> runs the docker runtime against podman. The listener's target port is 80, which only the "front"
/// container maps, so the Edge routes there; front's CGI script asks the "app" container on 127.0.0.1:8080, the
/// task's shared localhost, on every request.
/// </summary>
[Collection(ContainerCollection.Name)]
public sealed class EdgeToTwoContainerTaskTests(ContainerEngineFixture engine) : IClassFixture<ContainerEngineFixture>
{
    private const string Subdomain = "pair";
    private const string Branch = "feature/pair";
    private const string TaskArnLabel = "com.amazonaws.ecs.task-arn";
    private const string ContainerNameLabel = "com.amazonaws.ecs.container-name";

    // Two shared cores and podman starting two containers: generous, since only the outcome is asserted.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_edge_reaches_the_front_container_which_asks_the_app_container_over_localhost_until_terminate()
    {
        engine.RequireEngine();
        var definitions = Directory.CreateTempSubdirectory("mirage-e2e-taskdefs-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(definitions, "edge-pair.json"), TaskDefinition(), Token);
            await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions
            {
                ConfigText = Config(definitions),
                Environment = new Dictionary<string, string> { ["DOCKER_HOST"] = engine.DockerHost },
            }, Token);
            using var api = mirage.CreateClient();
            api.Timeout = Patience + TimeSpan.FromSeconds(30);
            using var edge = mirage.CreateClient($"{Subdomain}.localtest.me");

            using (var launch = await api.PostAsJsonAsync("/api/launch", new
            {
                subdomain = Subdomain,
                branch = Branch,
                taskdef = new[] { "edge-pair" },
                wait = true,
                wait_timeout = (int)Patience.TotalSeconds,
            }, Token))
            {
                var answer = await launch.Content.ReadAsStringAsync(Token);
                Assert.True(launch.StatusCode == HttpStatusCode.OK, mirage.Explain($"launch answered {(int)launch.StatusCode}: {answer}"));
            }

            // Two probes: front relays each request to app live, rather than serving a page fetched once.
            foreach (var probe in new[] { "first", "second" })
            {
                using var response = await edge.GetAsync($"/?probe={probe}", Token);
                var body = await response.Content.ReadAsStringAsync(Token);
                Assert.True(response.StatusCode == HttpStatusCode.OK, mirage.Explain($"the edge answered {(int)response.StatusCode}: {body}"));
                Assert.Equal($"front of {Subdomain} relays:\napp of branch {Branch} for {Subdomain} asked probe={probe}\n", body);
            }

            var taskArn = await TaskArnAsync(api, mirage);
            using var docker = new DockerEngineClient(engine.DockerHost);
            var containers = await ContainersOfTaskAsync(docker, taskArn);
            Assert.Equal(["app", "front"], containers.Keys.Order(StringComparer.Ordinal));

            using (var terminate = await api.PostAsJsonAsync("/api/terminate", new { subdomain = Subdomain }, Token))
            {
                Assert.Equal(HttpStatusCode.OK, terminate.StatusCode);
            }
            await EventuallyAsync(async () =>
            {
                using var response = await edge.GetAsync("/?probe=after", Token);
                return response.StatusCode == HttpStatusCode.NotFound;
            }, () => mirage.Explain($"{Subdomain}.localtest.me is still routed after terminate"));
            foreach (var (name, id) in containers)
            {
                await EventuallyAsync(async () => await docker.InspectContainerAsync(id, Token) is null,
                    () => mirage.Explain($"container {name} ({id}) is still in the engine after terminate"));
            }
        }
        finally
        {
            Directory.Delete(definitions, recursive: true);
        }
    }

    /// <summary>A local-mode config on the docker runtime with task definitions from <paramref name="taskDefinitions"/>.</summary>
    internal static string Config(string taskDefinitions) => $$"""
        listen:
          foreign_address: 127.0.0.1
          http:
            - listen: {port}
              target: 80
        local:
          data_dir: {dataDir}
          task_definitions: {{taskDefinitions}}
          runtime: docker

        """;

    /// <summary>
    /// app (first, so it owns the task's network namespace) answers on 8080; front answers on 80 by asking app over
    /// localhost. Both are busybox httpd with an <c>index.cgi</c> (httpd runs it for <c>/</c> when there is no
    /// index.html), written from an environment variable to keep shell quoting out of the command.
    /// </summary>
    private static string TaskDefinition() => JsonSerializer.Serialize(new
    {
        family = "edge-pair",
        containerDefinitions = new object[]
        {
            Container("app", 8080,
                "echo \"app of branch $GIT_BRANCH for $SUBDOMAIN asked $QUERY_STRING\""),
            Container("front", 80,
                "echo \"front of $SUBDOMAIN relays:\"\nwget -qO- \"http://127.0.0.1:8080/?$QUERY_STRING\""),
        },
    });

    private static object Container(string name, int port, string cgiBody) => new
    {
        name,
        image = ContainerEngineFixture.Image,
        entryPoint = new[] { "/bin/sh", "-c" },
        command = new[]
        {
            $"mkdir -p /tmp/www/cgi-bin && printf '%s' \"$CGI_SCRIPT\" > /tmp/www/cgi-bin/index.cgi && chmod +x /tmp/www/cgi-bin/index.cgi && exec httpd -f -p {port} -h /tmp/www",
        },
        environment = new[] { new { name = "CGI_SCRIPT", value = $"#!/bin/sh\necho 'Content-Type: text/plain'\necho\n{cgiBody}\n" } },
        portMappings = new[] { new { containerPort = port } },
        // httpd is PID 1 and ignores SIGTERM; a short timeout keeps the SIGKILL after terminate quick.
        stopTimeout = 2,
    };

    private static async Task<string> TaskArnAsync(HttpClient api, MirageProcess mirage)
    {
        using var list = JsonDocument.Parse(await api.GetStringAsync("/api/list", Token));
        var rows = list.RootElement.GetProperty("result").EnumerateArray()
            .Where(r => r.GetProperty("subdomain").GetString() == Subdomain)
            .Select(r => r.GetProperty("id").GetString() ?? "")
            .ToList();
        Assert.True(rows.Count == 1, mirage.Explain($"expected one task of {Subdomain} in /api/list, found {rows.Count}"));
        return rows[0];
    }

    /// <summary>The engine's running containers of the task, by container name, found by the labels Mirage sets.</summary>
    private static async Task<Dictionary<string, string>> ContainersOfTaskAsync(DockerEngineClient docker, string taskArn)
    {
        var containers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var container in await docker.ListContainersAsync(Token))
        {
            if (container.Labels is { } labels && labels.TryGetValue(TaskArnLabel, out var arn) && arn == taskArn)
            {
                containers[labels[ContainerNameLabel]] = container.ID;
            }
        }
        return containers;
    }

    private static Task EventuallyAsync(Func<Task<bool>> condition, Func<string> failure) =>
        Eventually.HoldsAsync(condition, Patience, failure, Token);
}
