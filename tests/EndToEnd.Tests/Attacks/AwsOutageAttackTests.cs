using System.Net;
using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Attacks;

/// <summary>
/// Issue 12, item 8 from the outside: Mirage in AWS mode whose S3 and ECS do not answer (the endpoint is a closed
/// loopback port) keeps running, and its API says 503 with <c>Retry-After</c> and a JSON message — never a bare 500,
/// never the exception's details.
/// </summary>
public sealed class AwsOutageAttackTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_S3_and_ECS_down_the_api_answers_503_with_retry_after_and_the_process_stays_up()
    {
        var closed = FreePort.Next();
        await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions
        {
            ConfigText = AwsModeMirage.Config("previews", "subnet-1", "sg-1"),
            Arguments = [],
            ReadyPath = "/api/openapi.json",
            Environment = AwsModeMirage.Environment(new Uri($"http://127.0.0.1:{closed}"), secretAccessKey: "testing-secret-never-shown"),
        }, Token);

        // The first call finds S3 down; later ones meet the store's backoff or the AWS circuit: all are 503.
        foreach (var path in new[] { "/api/environments", "/api/environments", "/api/list", "/api/list" })
        {
            using var answer = await mirage.SendAsync(HttpMethod.Get, MirageProcess.WebHost, path, cancellationToken: Token);
            var body = await answer.Content.ReadAsStringAsync(Token);
            Assert.True(answer.StatusCode == HttpStatusCode.ServiceUnavailable, mirage.Explain($"{path}: {(int)answer.StatusCode} {body}"));
            Assert.True(answer.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"{path}: no Retry-After");
            using var json = JsonDocument.Parse(body);
            Assert.Equal("Service Unavailable", json.RootElement.GetProperty("message").GetString());
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
            Assert.DoesNotContain("testing-secret-never-shown", body, StringComparison.Ordinal);
        }
        Assert.False(mirage.HasExited, mirage.Explain("mirage exited"));
        Assert.DoesNotContain("testing-secret-never-shown", mirage.Output, StringComparison.Ordinal);
    }
}
