using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Attacks;

/// <summary>
/// Issue 12 item 5 (local processes): a real <c>mirage --local</c> whose own environment holds secrets launches a task
/// that prints its whole environment. The task sees the allow-list (PATH, HOME, ...), what ECS sets and what its task
/// definition sets; none of Mirage's secrets, AWS keys or MIRAGE_* settings.
/// </summary>
public sealed class TaskEnvironmentLeakAttackTests(CredentialsAttackFixture aws) : IClassFixture<CredentialsAttackFixture>
{
    private const string EndMarker = "ENV-DUMP-END";

    private static readonly Dictionary<string, string> MirageSecrets = new()
    {
        ["GITHUB_TOKEN"] = "ghp_attacksuitesecretvalue0123456789",
        ["MIRAGE_ATTACK_SECRET"] = "mirage-setting-secret-value-0123456789",
        ["DATABASE_PASSWORD"] = "database-password-secret-value-0123456789",
        ["AWS_SESSION_TOKEN"] = "aws-session-token-secret-value-0123456789",
    };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_local_task_gets_the_allow_list_and_its_own_variables_but_none_of_mirages_environment()
    {
        var definitions = CredentialsAttackSupport.TaskDefinitions(("envdump.json", JsonSerializer.Serialize(new
        {
            family = "envdump",
            containerDefinitions = new object[]
            {
                new
                {
                    name = "app",
                    command = new[] { "/bin/sh", "-c", $"env; echo {EndMarker}; exec sleep 600" },
                    environment = new[] { new { name = "APP_SETTING", value = "from-task-definition" } },
                },
            },
        })));
        try
        {
            var environment = new Dictionary<string, string>(aws.AwsEnvironment);
            foreach (var (name, value) in MirageSecrets)
            {
                environment[name] = value;
            }
            await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions { TaskDefinitions = definitions, Environment = environment }, Cancellation);
            await CredentialsAttackSupport.LaunchAsync(mirage, "envleak", "envdump", Cancellation);

            var lines = await LogLinesUntilAsync(mirage, "envleak", EndMarker);
            var names = lines.Where(l => l.Contains('=', StringComparison.Ordinal)).Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);
            var text = string.Join("\n", lines);

            Assert.Contains("PATH", names);
            Assert.Contains("APP_SETTING=from-task-definition", lines);
            Assert.Contains("AWS_CONTAINER_CREDENTIALS_FULL_URI", names);
            Assert.Contains("ECS_CONTAINER_METADATA_URI_V4", names);
            foreach (var (name, value) in MirageSecrets)
            {
                Assert.DoesNotContain(name, names);
                Assert.DoesNotContain(value, text, StringComparison.Ordinal);
            }
            Assert.DoesNotContain("AWS_ACCESS_KEY_ID", names);
            Assert.DoesNotContain("AWS_SECRET_ACCESS_KEY", names);
            Assert.DoesNotContain("AWS_ENDPOINT_URL_STS", names);
            // MIRAGE_EXECUTABLE is set by Mirage for its tasks on purpose (the demo app runs it), not inherited.
            Assert.DoesNotContain(names, n => n.StartsWith("MIRAGE_", StringComparison.Ordinal) && n != "MIRAGE_EXECUTABLE");
            Assert.False(mirage.HasExited, mirage.Explain("mirage died"));
        }
        finally
        {
            Directory.Delete(definitions, recursive: true);
        }
    }

    /// <summary>The environment's log lines through <c>/api/logs</c>, once <paramref name="marker"/> is among them.</summary>
    private static Task<IReadOnlyList<string>> LogLinesUntilAsync(MirageProcess mirage, string subdomain, string marker) =>
        Eventually.ReadAsync<IReadOnlyList<string>>(
            async () =>
            {
                using var response = await mirage.SendAsync(HttpMethod.Get, MirageProcess.WebHost, $"/api/logs?subdomain={subdomain}", cancellationToken: Cancellation);
                if (!response.IsSuccessStatusCode)
                {
                    return [];
                }
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
                return body.RootElement.GetProperty("result") is { ValueKind: JsonValueKind.Array } result
                    ? result.EnumerateArray().Select(l => l.GetString() ?? "").ToList()
                    : [];
            },
            lines => lines.Contains(marker), TimeSpan.FromSeconds(90),
            _ => mirage.Explain($"the task's logs did not show {marker}"), Cancellation);
}
