using System.Net;
using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Attacks;

/// <summary>
/// Issue 12 item 3: a real <c>mirage --local</c> runs two tasks with different task roles; task A, holding only its
/// own token, tries every credentials route for task B's role and for the base identity. Each is a JSON 403 with no
/// credentials; A gets its own role, B gets its own, and Mirage is alive throughout.
/// </summary>
public sealed class CrossTaskRoleAttackTests(CredentialsAttackFixture aws) : IClassFixture<CredentialsAttackFixture>
{
    private const string RoleA = "arn:aws:iam::123456789012:role/preview-a";
    private const string RoleB = "arn:aws:iam::123456789012:role/team/preview-b";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_task_token_gets_its_own_task_role_and_never_another_task_role_or_the_base_identity()
    {
        var definitions = CredentialsAttackSupport.TaskDefinitions(("role-a.json", Definition("role-a", RoleA, "a")), ("role-b.json", Definition("role-b", RoleB, "b")));
        try
        {
            await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions { TaskDefinitions = definitions, Environment = aws.AwsEnvironment }, Cancellation);
            await CredentialsAttackSupport.LaunchAsync(mirage, "role-a", "role-a", Cancellation);
            await CredentialsAttackSupport.LaunchAsync(mirage, "role-b", "role-b", Cancellation);
            var a = await CredentialsAttackSupport.TaskEnvironmentAsync(mirage, "ATTACK_TASK", "a", Cancellation);
            var b = await CredentialsAttackSupport.TaskEnvironmentAsync(mirage, "ATTACK_TASK", "b", Cancellation);
            var tokenA = a["AWS_CONTAINER_AUTHORIZATION_TOKEN"];
            var ownA = new Uri(a["AWS_CONTAINER_CREDENTIALS_FULL_URI"]);
            var ownB = new Uri(b["AWS_CONTAINER_CREDENTIALS_FULL_URI"]);
            var endpoints = new Uri(ownA, "/");

            // Task B's own URI, B's role by ARN and by name, and the base identity (more than A's role allows).
            var attempts = new[] { ownB, new Uri(endpoints, "role-arn/" + RoleB), new Uri(endpoints, "role/preview-b"), new Uri(endpoints, "creds") };
            foreach (var attempt in attempts)
            {
                var (status, body) = await SendAsync(attempt, tokenA);
                Assert.True(status == HttpStatusCode.Forbidden, mirage.Explain($"{attempt} with task A's token answered {(int)status}: {body}"));
                using var error = JsonDocument.Parse(body);
                Assert.Contains(error.RootElement.GetProperty("code").GetString(), new[] { "AccessDenied", "InvalidAuthorization" });
                Assert.DoesNotContain("AccessKeyId", body, StringComparison.Ordinal);
            }

            Assert.Equal(RoleA, await RoleArnAsync(mirage, ownA, tokenA));
            Assert.Equal(RoleA, await RoleArnAsync(mirage, new Uri(endpoints, "role-arn/" + RoleA), tokenA));
            Assert.Equal(RoleB, await RoleArnAsync(mirage, ownB, b["AWS_CONTAINER_AUTHORIZATION_TOKEN"]));
            Assert.False(mirage.HasExited, mirage.Explain("mirage died during the attack"));
            Assert.DoesNotContain(tokenA, mirage.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(definitions, recursive: true);
        }
    }

    private static string Definition(string family, string role, string marker) => JsonSerializer.Serialize(new
    {
        family,
        taskRoleArn = role,
        containerDefinitions = new object[]
        {
            new
            {
                name = "app",
                command = new[] { "/bin/sleep", "600" },
                environment = new[] { new { name = "ATTACK_TASK", value = marker } },
            },
        },
    });

    private static async Task<string?> RoleArnAsync(MirageProcess mirage, Uri uri, string token)
    {
        var (status, body) = await SendAsync(uri, token);
        Assert.True(status == HttpStatusCode.OK, mirage.Explain($"{uri} with the task's own token answered {(int)status}: {body}"));
        using var credentials = JsonDocument.Parse(body);
        return credentials.RootElement.GetProperty("RoleArn").GetString();
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(Uri uri, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.TryAddWithoutValidation("Authorization", token);
        using var response = await Http.SendAsync(request, Cancellation);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancellation));
    }
}
