using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mirage.TestKit;
using Mirage.TestKit.Containers;

namespace Mirage.EndToEnd.Tests.Containers;

/// <summary>
/// Issue 17 with the docker runtime: a real <c>mirage</c> runs a busybox httpd container under podman; asleep, the
/// container is stopped and the route stays; concurrent requests wake it once and all get the app's answer.
/// </summary>
[Collection(ContainerCollection.Name)]
public sealed class SleepWakeContainerTests(ContainerEngineFixture engine) : IClassFixture<ContainerEngineFixture>
{
    private const string Subdomain = "dozer";

    // Two shared cores and podman starting a container: generous, since only the outcome is asserted.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sleeping_container_task_is_stopped_and_ten_concurrent_requests_wake_it_once()
    {
        engine.RequireEngine();
        var definitions = Directory.CreateTempSubdirectory("mirage-e2e-taskdefs-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(definitions, "dozer.json"), TaskDefinition(), Token);
            await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions
            {
                ConfigText = EdgeToTwoContainerTaskTests.Config(definitions),
                Environment = new Dictionary<string, string> { ["DOCKER_HOST"] = engine.DockerHost },
            }, Token);
            using var api = mirage.CreateClient();
            api.Timeout = Patience + TimeSpan.FromSeconds(30);
            using (var launch = await api.PostAsJsonAsync("/api/launch", new
            {
                subdomain = Subdomain,
                branch = "main",
                taskdef = new[] { "dozer" },
                wait = true,
                wait_timeout = (int)Patience.TotalSeconds,
                sleep_after = "0",
            }, Token))
            {
                Assert.True(launch.StatusCode == HttpStatusCode.OK, mirage.Explain($"launch answered {(int)launch.StatusCode}: {await launch.Content.ReadAsStringAsync(Token)}"));
            }
            using (var sleep = await api.PostAsJsonAsync($"/api/environments/{Subdomain}/sleep", new { }, Token))
            {
                Assert.Equal(HttpStatusCode.OK, sleep.StatusCode);
            }
            await Eventually.HoldsAsync(async () =>
            {
                var details = await mirage.GetJsonAsync($"/api/environments/{Subdomain}", Token);
                return details.GetProperty("status").GetProperty("state").GetString() == "sleeping" && details.GetProperty("tasks").GetArrayLength() == 0;
            }, Patience, () => mirage.Explain($"{Subdomain} did not go to sleep with its task stopped"), Token);

            using var edge = mirage.CreateClient($"{Subdomain}.localtest.me");
            edge.Timeout = Patience;
            var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
            {
                using var response = await edge.GetAsync($"/?n={i}", Token);
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Token));
            }));

            Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.OK, mirage.Explain($"a request answered {(int)a.StatusCode}: {a.Body}")));
            Assert.All(answers, a => Assert.Equal($"awake: {Subdomain}\n", a.Body));
            var events = (await mirage.GetJsonAsync($"/api/environments/{Subdomain}", Token)).GetProperty("status").GetProperty("events").EnumerateArray()
                .Select(e => e.GetProperty("reason").GetString()).ToList();
            Assert.Equal(1, events.Count(r => r == "Woken"));
            Assert.Equal(2, events.Count(r => r == "TaskLaunched"));
        }
        finally
        {
            Directory.Delete(definitions, recursive: true);
        }
    }

    // busybox httpd with an index.cgi (run for "/"), written from an environment variable to keep shell quoting out.
    private static string TaskDefinition() => JsonSerializer.Serialize(new
    {
        family = "dozer",
        containerDefinitions = new object[]
        {
            new
            {
                name = "web",
                image = ContainerEngineFixture.Image,
                entryPoint = new[] { "/bin/sh", "-c" },
                command = new[]
                {
                    "mkdir -p /tmp/www/cgi-bin && printf '%s' \"$CGI_SCRIPT\" > /tmp/www/cgi-bin/index.cgi && chmod +x /tmp/www/cgi-bin/index.cgi && exec httpd -f -p 80 -h /tmp/www",
                },
                environment = new[] { new { name = "CGI_SCRIPT", value = "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho \"awake: $SUBDOMAIN\"\n" } },
                portMappings = new[] { new { containerPort = 80 } },
                // httpd is PID 1 and ignores SIGTERM; a short timeout keeps the SIGKILL quick.
                stopTimeout = 2,
            },
        },
    });
}
