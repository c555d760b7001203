using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Mirage.LocalEcs.Tests;

public sealed class CredentialsEndpointTests(MotoFixture fixture) : IClassFixture<MotoFixture>
{
    private const string TaskRole = "arn:aws:iam::123456789012:role/preview-app";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task The_task_credentials_uri_needs_the_task_token()
    {
        await using var ecs = new LocalEcsHarness(o => o.StsServiceUrl = fixture.Moto.Endpoint.ToString());
        var (task, uri, token) = await StartTaskAsync(ecs, TaskRole);

        using (var missing = await SendAsync(uri, null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
            using var body = await JsonAsync(missing);
            Assert.Equal("MissingAuthorization", body.RootElement.GetProperty("code").GetString());
            Assert.Equal(401, body.RootElement.GetProperty("HTTPErrorCode").GetInt32());
        }
        using (var wrong = await SendAsync(uri, token + "x"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
            using var body = await JsonAsync(wrong);
            Assert.Equal("InvalidAuthorization", body.RootElement.GetProperty("code").GetString());
            Assert.DoesNotContain(token, body.RootElement.GetRawText(), StringComparison.Ordinal);
        }
        using var right = await SendAsync(uri, token);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        var raw = await right.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var credentials = JsonDocument.Parse(raw);
        var c = credentials.RootElement;
        Assert.Equal(["AccessKeyId", "Expiration", "RoleArn", "SecretAccessKey", "Token"], c.EnumerateObject().Select(p => p.Name));
        Assert.Equal(TaskRole, c.GetProperty("RoleArn").GetString());
        Assert.NotEqual("testing", c.GetProperty("AccessKeyId").GetString());
        Assert.False(string.IsNullOrEmpty(c.GetProperty("Token").GetString()));
        var expiration = DateTimeOffset.ParseExact(c.GetProperty("Expiration").GetString()!, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.True(expiration > TimeProvider.System.GetUtcNow().AddMinutes(30));

        // Cached until shortly before expiry: a second call gives the same keys.
        using var again = await SendAsync(uri, token);
        using var second = await JsonAsync(again);
        Assert.Equal(c.GetProperty("AccessKeyId").GetString(), second.RootElement.GetProperty("AccessKeyId").GetString());

        // A stopped task's token no longer works.
        await ecs.Backend.StopTaskAsync(task, "done", TestContext.Current.CancellationToken);
        await ecs.WaitStoppedAsync(task);
        using var afterStop = await SendAsync(uri, token);
        Assert.Equal(HttpStatusCode.NotFound, afterStop.StatusCode);
    }

    [Fact]
    public async Task The_shared_routes_vend_base_and_role_credentials_to_local_tasks_only()
    {
        await using var ecs = new LocalEcsHarness(o => o.StsServiceUrl = fixture.Moto.Endpoint.ToString());
        var (_, _, token) = await StartTaskAsync(ecs, taskRoleArn: null);
        var baseUri = await ecs.EndpointAsync();

        using (var anonymous = await SendAsync(new Uri(baseUri, "creds"), null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using (var session = await SendAsync(new Uri(baseUri, "creds"), token))
        {
            using var body = await JsonAsync(session);
            Assert.Equal("", body.RootElement.GetProperty("RoleArn").GetString());
            Assert.NotEqual("testing", body.RootElement.GetProperty("AccessKeyId").GetString());
        }
        using (var byName = await SendAsync(new Uri(baseUri, "role/reader"), token))
        {
            using var body = await JsonAsync(byName);
            Assert.Equal("arn:aws:iam::123456789012:role/reader", body.RootElement.GetProperty("RoleArn").GetString());
        }
        using (var byArn = await SendAsync(new Uri(baseUri, "role-arn/arn:aws:iam::210987654321:role/team/writer"), token))
        {
            using var body = await JsonAsync(byArn);
            Assert.Equal("arn:aws:iam::210987654321:role/team/writer", body.RootElement.GetProperty("RoleArn").GetString());
        }
        using var notARole = await SendAsync(new Uri(baseUri, "role-arn/arn:aws:s3:::bucket"), token);
        Assert.Equal(HttpStatusCode.BadRequest, notARole.StatusCode);
    }

    [Fact]
    public async Task An_aws_sdk_inside_a_local_task_uses_the_vended_task_role_credentials()
    {
        await using var ecs = new LocalEcsHarness(o => o.StsServiceUrl = fixture.Moto.Endpoint.ToString());
        const string script = """
            import os, boto3
            print('LEAK=' + os.environ.get('AWS_ACCESS_KEY_ID', 'none'), flush=True)
            session = boto3.session.Session()
            print('METHOD=' + session.get_credentials().method, flush=True)
            identity = session.client('sts', endpoint_url=os.environ['AWS_ENDPOINT_URL']).get_caller_identity()
            print('ARN=' + identity['Arn'], flush=True)
            """;
        ecs.WriteTaskDefinition("sdk.json", new
        {
            family = "sdk",
            taskRoleArn = TaskRole,
            containerDefinitions = new object[]
            {
                new
                {
                    name = "sdk",
                    command = new[] { "/bin/sh", "-c", "/usr/bin/python3 -c \"$SCRIPT\"; sleep 600" },
                    environment = new[]
                    {
                        new { name = "SCRIPT", value = script },
                        new { name = "AWS_ENDPOINT_URL", value = fixture.Moto.Endpoint.ToString() },
                        new { name = "HOME", value = ecs.Root },
                    },
                },
            },
        });

        var task = await ecs.RunAsync("sdk");
        var logs = await ecs.WaitForLogAsync(task.Arn, "ARN=");
        var text = string.Join("\n", logs.Select(l => l.Message));

        Assert.Contains("LEAK=none", text, StringComparison.Ordinal);
        Assert.Contains("METHOD=container-role", text, StringComparison.Ordinal);
        // The session name is the one LocalEcs gives when it assumes the task role: moto saw our credentials.
        Assert.Contains("ARN=arn:aws:sts::123456789012:assumed-role/preview-app/ecs-local-preview-app", text, StringComparison.Ordinal);
    }

    private static async Task<(string Arn, Uri CredentialsUri, string Token)> StartTaskAsync(LocalEcsHarness ecs, string? taskRoleArn)
    {
        ecs.WriteTaskDefinition("creds.json", new
        {
            family = "creds",
            taskRoleArn,
            containerDefinitions = new object[] { new { name = "app", command = new[] { "/bin/sleep", "600" } } },
        });
        var task = await ecs.RunAsync("creds");
        var running = await ecs.WaitRunningAsync(task.Arn);
        // The token only exists in the process's environment, as in ECS.
        var environment = File.ReadAllText($"/proc/{running.Containers.Single().Pid}/environ")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('=', 2))
            .ToDictionary(e => e[0], e => e[1]);
        Assert.Equal($"{await ecs.EndpointAsync()}creds/{running.TaskId}", environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"]);
        return (task.Arn, new Uri(environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"]), environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"]);
    }

    private static async Task<HttpResponseMessage> SendAsync(Uri uri, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token);
        }
        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<JsonDocument> JsonAsync(HttpResponseMessage response)
    {
        Assert.Equal(new MediaTypeHeaderValue("application/json").MediaType, response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
