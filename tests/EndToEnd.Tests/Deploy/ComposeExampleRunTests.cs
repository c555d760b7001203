using System.Security.Cryptography;
using System.Text.Json;
using Mirage.TestKit;
using Mirage.TestKit.Containers;

namespace Mirage.EndToEnd.Tests.Deploy;

/// <summary>
/// deploy/compose/docker-compose.yml run for real by the Python docker-compose against <c>podman system service</c>:
/// the endpoints container from the image, and the example's app container (busybox in place of my-app) asking them.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class ComposeExampleRunTests(MirageImage image)
{
    private const string AccessKeyId = "ASIACOMPOSEEXAMPLE01";
    private const string SessionToken = "compose-example-session-token";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_app_container_gets_task_metadata_v4_and_credentials_from_169_254_170_2_and_down_removes_everything()
    {
        Assert.SkipWhen(image.Absent is not null, image.Absent ?? "");
        var podman = image.Podman;
        await podman.StartServiceAsync(Token);
        var work = Directory.CreateTempSubdirectory("mirage-compose-");
        var project = $"miragecompose{Guid.NewGuid():N}"[..24];
        // The identity the endpoints vend: temporary keys in the mounted ~/.aws, passed through without a call to STS.
        Directory.CreateDirectory(Path.Combine(work.FullName, ".aws"));
        await File.WriteAllTextAsync(Path.Combine(work.FullName, ".aws", "credentials"),
            $"[default]\naws_access_key_id = {AccessKeyId}\naws_secret_access_key = compose-example-secret\naws_session_token = {SessionToken}\n", Token);
        // The example's app is the user's image; busybox stands in, kept running so the test can ask from inside it.
        var overrides = Path.Combine(work.FullName, "app-override.yml");
        await File.WriteAllTextAsync(overrides, $"services:\n  app:\n    image: {ContainerEngine.Image}\n    command: [\"sleep\", \"3600\"]\n", Token);
        var compose = new Dictionary<string, string?>
        {
            ["DOCKER_HOST"] = podman.DockerHost,
            ["DOCKER_SOCKET"] = podman.DockerHost["unix://".Length..],
            ["HOME"] = work.FullName,
            ["LOCAL_ENDPOINTS_TOKEN"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            ["MIRAGE_IMAGE"] = MirageImage.Name,
            ["APP_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        string[] files = ["-f", RepositoryRoot.Combine("deploy", "compose", "docker-compose.yml"), "-f", overrides, "-p", project];
        var app = $"{project}_app_1";
        try
        {
            await podman.RunAsync("docker-compose", [.. files, "up", "-d"], Token, compose, work.FullName);

            var task = await Eventually.ReadAsync(
                () => FetchFromAppAsync(podman, app, """wget -qO- "$ECS_CONTAINER_METADATA_URI_V4/task" """),
                answer => answer.StartsWith('{'), TimeSpan.FromSeconds(60), answer => $"the app got no task metadata: {answer}", Token);
            var credentials = await FetchFromAppAsync(podman, app,
                """wget -qO- --header "Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN" "$AWS_CONTAINER_CREDENTIALS_FULL_URI" """);
            var metadataUri = await FetchFromAppAsync(podman, app, "echo \"$ECS_CONTAINER_METADATA_URI_V4 $AWS_CONTAINER_CREDENTIALS_FULL_URI\"");
            await podman.RunAsync("docker-compose", [.. files, "down"], Token, compose, work.FullName);
            var left = await podman.RunAsync(["ps", "-a", "--filter", $"label=com.docker.compose.project={project}", "--format", "{{.Names}}"], Token);
            var networks = await podman.RunAsync(["network", "ls", "--format", "{{.Name}}"], Token);

            Assert.Equal("http://169.254.170.2/v4 http://169.254.170.2/creds", metadataUri.Trim());
            using var taskJson = JsonDocument.Parse(task);
            Assert.Equal("compose-local", taskJson.RootElement.GetProperty("Cluster").GetString());
            Assert.Equal("my-app", taskJson.RootElement.GetProperty("Family").GetString());
            Assert.Equal("1", taskJson.RootElement.GetProperty("Revision").GetString());
            var container = Assert.Single(taskJson.RootElement.GetProperty("Containers").EnumerateArray());
            Assert.Equal("app", container.GetProperty("Name").GetString());
            Assert.Equal("169.254.170.3", container.GetProperty("Networks")[0].GetProperty("IPv4Addresses")[0].GetString());
            using var credentialsJson = JsonDocument.Parse(credentials);
            Assert.Equal(AccessKeyId, credentialsJson.RootElement.GetProperty("AccessKeyId").GetString());
            Assert.Equal(SessionToken, credentialsJson.RootElement.GetProperty("Token").GetString());
            Assert.True(credentialsJson.RootElement.TryGetProperty("Expiration", out _), credentials);
            Assert.Equal("", left.StandardOutput.Trim());
            Assert.DoesNotContain(project, networks.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            await podman.RunAsync("docker-compose", [.. files, "down", "--remove-orphans"], CancellationToken.None, compose, work.FullName);
            work.Delete(recursive: true);
        }
    }

    /// <summary>Runs a shell command in the app container (its environment is the example's); its output, or the error.</summary>
    private static async Task<string> FetchFromAppAsync(IsolatedPodman podman, string app, string script)
    {
        try
        {
            return (await podman.RunAsync(["exec", app, "sh", "-c", script], Token)).StandardOutput;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }
}
