using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Deploy;

/// <summary>deploy/Dockerfile's image, run as an operator runs it: env-only as mirage-ecs's image, or with MIRAGE_CONF.</summary>
[Collection(DeployCollection.Name)]
public sealed class ContainerImageTests(MirageImage image)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_no_config_and_no_flags_the_image_starts_from_the_environment_as_mirage_ecs_image_does()
    {
        Assert.SkipWhen(image.Absent is not null, image.Absent ?? "");
        var container = $"mirage-env-only-{Guid.NewGuid():N}";

        // Port 80, as mirage-ecs listens: Docker lets a non-root user bind it in a container; podman needs the sysctl.
        await image.Podman.RunAsync(["run", "-d", "--name", container, "--sysctl", "net.ipv4.ip_unprivileged_port_start=0",
            "-e", "MIRAGE_LOCAL=true", MirageImage.Name], Token);
        try
        {
            await Eventually.ReadAsync(() => LogsAsync(container), logs => logs.Contains("Mirage is serving", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), logs => $"the image did not start from the environment alone:\n{logs}", Token);
            var (exitCode, logs) = await StopAsync(container);

            Assert.Equal(0, exitCode);
            Assert.DoesNotContain("config file not found", logs, StringComparison.Ordinal);
        }
        finally
        {
            await image.Podman.RunAsync(["rm", "-f", container], CancellationToken.None);
        }
    }

    [Fact]
    public async Task With_MIRAGE_CONF_the_image_answers_its_health_check_launches_in_local_mode_and_stops_cleanly_on_SIGTERM()
    {
        Assert.SkipWhen(image.Absent is not null, image.Absent ?? "");
        var config = Directory.CreateTempSubdirectory("mirage-image-conf-");
        // Readable by the image's non-root user; local mode listens on loopback unless told otherwise.
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(config.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        await File.WriteAllTextAsync(Path.Combine(config.FullName, "mirage.yml"), "listen:\n  foreign_address: 0.0.0.0\n", Token);
        var port = FreePort.Next();
        var container = $"mirage-conf-{Guid.NewGuid():N}";
        await image.Podman.RunAsync(["run", "-d", "--name", container, "--sysctl", "net.ipv4.ip_unprivileged_port_start=0",
            "-p", $"127.0.0.1:{port}:80", "-v", $"{config.FullName}:/config:ro",
            "-e", "MIRAGE_CONF=/config/mirage.yml", "-e", "MIRAGE_LOCAL=true", MirageImage.Name], Token);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Host = "mirage.localtest.me";
            // What the ALB's health check asks (deploy/aws/terraform/alb.tf): GET / on the web API.
            using var health = await Eventually.ReadAsync(() => HttpProbe.GetOrNullAsync(http, new Uri("/", UriKind.Relative), Token),
                r => r is not null, TimeSpan.FromSeconds(60), _ => $"the image's web API did not answer on 127.0.0.1:{port} (container port 80)", Token);
            using var list = await http.SendAsync(Request(HttpMethod.Get, "/api/list", "mirage.localtest.me"), Token);
            using var launch = await http.SendAsync(Request(HttpMethod.Post, "/api/launch", "mirage.localtest.me",
                new { subdomain = "in-image", branch = "main", taskdef = new[] { "demo" }, wait = true }), Token);
            using var page = await http.SendAsync(Request(HttpMethod.Get, "/", "in-image.localtest.me"), Token);
            var pageText = await page.Content.ReadAsStringAsync(Token);
            var (exitCode, logs) = await StopAsync(container);

            Assert.Equal(HttpStatusCode.OK, health!.StatusCode);
            Assert.Equal("""{"result":[]}""", await list.Content.ReadAsStringAsync(Token));
            Assert.Equal("""{"result":"ok"}""", await launch.Content.ReadAsStringAsync(Token));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("<h1 id=\"subdomain\">in-image</h1>", pageText, StringComparison.Ordinal);
            // SIGTERM, not the SIGKILL after the grace period (137): Mirage shut down and stopped its task first.
            Assert.True(exitCode == 0, $"the container exited with {exitCode}:\n{logs}");
            Assert.Contains("Mirage shut down", logs, StringComparison.Ordinal);
            Assert.Contains("is STOPPED", logs, StringComparison.Ordinal);
        }
        finally
        {
            await image.Podman.RunAsync(["rm", "-f", container], CancellationToken.None);
            config.Delete(recursive: true);
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string host, object? body = null) =>
        new(method, path) { Headers = { Host = host }, Content = body is null ? null : JsonContent.Create(body) };

    private async Task<string> LogsAsync(string container)
    {
        var logs = await image.Podman.RunAsync(["logs", container], CancellationToken.None);
        return logs.StandardOutput + logs.StandardError;
    }

    /// <summary><c>podman stop</c> (SIGTERM, SIGKILL after 30 s); the exit code and the logs.</summary>
    private async Task<(int ExitCode, string Logs)> StopAsync(string container)
    {
        await image.Podman.RunAsync(["stop", "-t", "30", container], Token);
        var state = await image.Podman.RunAsync(["inspect", container, "--format", "{{.State.ExitCode}}"], Token);
        return (int.Parse(state.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture), await LogsAsync(container));
    }
}
