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
        using var sharedAfterStop = await SendAsync(new Uri(uri, "/role-arn/" + TaskRole), token);
        Assert.Equal(HttpStatusCode.Forbidden, sharedAfterStop.StatusCode);
        using var stoppedBody = await JsonAsync(sharedAfterStop);
        Assert.Equal("InvalidAuthorization", stoppedBody.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_task_without_a_role_gets_the_base_identity_on_the_shared_route_and_no_role()
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
        foreach (var path in new[] { "role/reader", "role-arn/arn:aws:iam::210987654321:role/team/writer", "role-arn/arn:aws:s3:::bucket" })
        {
            using var refused = await SendAsync(new Uri(baseUri, path), token);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            using var body = await JsonAsync(refused);
            Assert.Equal("AccessDenied", body.RootElement.GetProperty("code").GetString());
            Assert.Contains("it has no task role", body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.False(body.RootElement.TryGetProperty("AccessKeyId", out _));
        }
    }

    [Fact]
    public async Task A_task_token_yields_only_its_own_task_role_on_the_shared_routes()
    {
        const string otherRole = "arn:aws:iam::123456789012:role/team/other-app";
        await using var ecs = new LocalEcsHarness(o => o.StsServiceUrl = fixture.Moto.Endpoint.ToString());
        var (_, _, token) = await StartTaskAsync(ecs, TaskRole);
        var (_, otherUri, otherToken) = await StartTaskAsync(ecs, otherRole, family: "other");
        var baseUri = await ecs.EndpointAsync();

        foreach (var path in new[] { "role-arn/" + TaskRole, "role/preview-app" })
        {
            using var own = await SendAsync(new Uri(baseUri, path), token);
            using var body = await JsonAsync(own);
            Assert.Equal(TaskRole, body.RootElement.GetProperty("RoleArn").GetString());
        }
        foreach (var path in new[] { "role-arn/" + otherRole, "role/other-app", "creds" })
        {
            using var refused = await SendAsync(new Uri(baseUri, path), token);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            using var body = await JsonAsync(refused);
            Assert.Equal("AccessDenied", body.RootElement.GetProperty("code").GetString());
            Assert.Contains(TaskRole, body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        // The other task's own URI needs its own token: this task's token does not open it.
        using (var crossed = await SendAsync(otherUri, token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, crossed.StatusCode);
        }
        using var theirs = await SendAsync(new Uri(baseUri, "role-arn/" + otherRole), otherToken);
        using var theirsBody = await JsonAsync(theirs);
        Assert.Equal(otherRole, theirsBody.RootElement.GetProperty("RoleArn").GetString());
    }

    [Fact]
    public async Task The_task_endpoints_refuse_a_rebound_host_and_browser_headers_even_with_the_token()
    {
        await using var ecs = new LocalEcsHarness(o => o.StsServiceUrl = fixture.Moto.Endpoint.ToString());
        var (_, uri, token) = await StartTaskAsync(ecs, TaskRole);

        foreach (var (header, value) in new[] { ("Host", $"rebind.attacker.example:{uri.Port}"), ("Origin", "http://attacker.example"), ("Sec-Fetch-Mode", "no-cors") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.TryAddWithoutValidation("Authorization", token);
            if (header == "Host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(header, value);
            }
            using var refused = await Http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            using var body = await JsonAsync(refused);
            Assert.Equal("BrowserRequestRefused", body.RootElement.GetProperty("code").GetString());
        }
        using var byAddress = await SendAsync(uri, token);
        Assert.Equal(HttpStatusCode.OK, byAddress.StatusCode);
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

    private static async Task<(string Arn, Uri CredentialsUri, string Token)> StartTaskAsync(LocalEcsHarness ecs, string? taskRoleArn, string family = "creds")
    {
        ecs.WriteTaskDefinition(family + ".json", new
        {
            family,
            taskRoleArn,
            containerDefinitions = new object[] { new { name = "app", command = new[] { "/bin/sleep", "600" } } },
        });
        var task = await ecs.RunAsync(family);
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
