using System.Net;
using System.Text.Json;
using Mirage.Api.Cli;
using Mirage.Api.Hosting;
using Mirage.TestKit;

namespace Mirage.Api.Tests.Cli;

/// <summary><c>mirage local-endpoints</c>: its settings errors, and (through the program's entry point) its answer when the engine is away.</summary>
public sealed class LocalEndpointsCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_bad_setting_exits_2_naming_the_variable()
    {
        var environment = new Dictionary<string, string> { ["ECS_LOCAL_METADATA_PORT"] = "http" };
        var error = new StringWriter();

        var exit = await LocalEndpointsCommand.RunAsync([], n => environment.GetValueOrDefault(n), TextWriter.Null, error, Token);

        Assert.Equal(2, exit);
        Assert.Contains("ECS_LOCAL_METADATA_PORT 'http' is not a port", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_container_engine_the_endpoints_answer_503_in_JSON_and_stop_when_asked()
    {
        var port = FreePort.Next();
        var missing = "unix://" + Path.Combine(Path.GetTempPath(), $"no-engine-{Guid.NewGuid():N}.sock");
        var environment = new Dictionary<string, string> { ["DOCKER_HOST"] = missing };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var run = MirageProgram.RunAsync(["local-endpoints", "--listen", $"127.0.0.1:{port}"], n => environment.GetValueOrDefault(n), stop.Token);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var task = new Uri($"http://127.0.0.1:{port}/v4/containers/web/task");
        using var response = await Eventually.ReadAsync(() => HttpProbe.GetOrNullAsync(http, task, Token), r => r is not null || run.IsCompleted,
            TimeSpan.FromSeconds(30), _ => "local-endpoints did not listen", Token);
        if (response is null)
        {
            Assert.Fail($"local-endpoints exited with {await run} before it answered");
        }
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        await stop.CancelAsync();
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(30), Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"the container engine at {missing} cannot be asked", body.RootElement.GetString(), StringComparison.Ordinal);
        Assert.Equal(0, exit);
    }
}
