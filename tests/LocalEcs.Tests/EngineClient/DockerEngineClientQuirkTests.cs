using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Mirage.LocalEcs.Docker;
using Mirage.TestKit;

namespace Mirage.LocalEcs.Tests.EngineClient;

/// <summary>The engine client against loopback engines that answer as podman and Docker do, and against no engine at all.</summary>
public sealed class DockerEngineClientQuirkTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_container_podman_is_removing_inspects_as_gone_and_other_engine_errors_still_throw()
    {
        await using var engine = await LoopbackEngine.StartAsync("1.41", app =>
        {
            // podman 4.3's answer while a container is being removed, and an unrelated engine failure.
            app.MapGet("/v1.41/containers/removing/json", () => Results.Json(
                new { cause = "no such container", message = "container removing does not exist in database: no such container", response = 500 },
                statusCode: (int)HttpStatusCode.InternalServerError));
            app.MapGet("/v1.41/containers/broken/json", () => Results.Json(
                new { message = "database is locked", response = 500 }, statusCode: (int)HttpStatusCode.InternalServerError));
        });
        using var client = new DockerEngineClient(engine.Host);

        Assert.Null(await client.InspectContainerAsync("removing", Token));
        var error = await Assert.ThrowsAsync<DockerEngineException>(() => client.InspectContainerAsync("broken", Token));
        Assert.Contains("database is locked", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.41")] // podman 4.3
    [InlineData("1.52")] // Docker 29, which refuses anything older than 1.44
    public async Task Every_call_asks_at_the_API_version_the_engine_reports_which_is_read_once(string engineVersion)
    {
        await using var engine = await LoopbackEngine.StartAsync(engineVersion, app =>
            app.MapGet($"/v{engineVersion}/containers/json", () => Results.Json(Array.Empty<object>())));
        using var client = new DockerEngineClient(engine.Host);

        Assert.Empty(await client.ListContainersAsync(Token));
        Assert.Empty(await client.ListContainersAsync(Token));

        Assert.Equal(Version.Parse(engineVersion), await client.ApiVersionAsync(Token));
        Assert.Equal(["/version", $"/v{engineVersion}/containers/json", $"/v{engineVersion}/containers/json"], engine.Paths);
    }

    [Fact]
    public async Task Without_an_engine_the_client_is_built_without_a_connection_and_each_call_fails_as_a_connection_error()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-engine-{Guid.NewGuid():N}.sock");

        // Building connects to nothing: the host of `mirage local-endpoints` builds it before any engine exists.
        using var client = new DockerEngineClient("unix://" + missing);

        Assert.False(await client.PingAsync(TimeSpan.FromSeconds(5), TimeProvider.System, Token));
        // What the local endpoints answer 503 for.
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.ListContainersAsync(Token));
        Assert.IsType<SocketException>(error.InnerException);
        Assert.False(File.Exists(missing));
    }

    /// <summary>A Kestrel on loopback that answers <c>/version</c> as an engine at <c>apiVersion</c>, and records the paths asked.</summary>
    private sealed class LoopbackEngine : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<string> _paths = new();

        private LoopbackEngine(WebApplication app, int port)
        {
            _app = app;
            Host = $"tcp://127.0.0.1:{port}";
        }

        public string Host { get; }

        public IReadOnlyList<string> Paths => [.. _paths];

        public static async Task<LoopbackEngine> StartAsync(string apiVersion, Action<WebApplication> routes)
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            var engine = new LoopbackEngine(builder.Build(), port);
            engine._app.Use((context, next) =>
            {
                engine._paths.Enqueue(context.Request.Path.Value ?? "");
                return next(context);
            });
            // Spelled as engines spell it (Results.Json alone would camel-case the names).
            engine._app.MapGet("/version", () => Results.Json(new Dictionary<string, string> { ["ApiVersion"] = apiVersion, ["MinAPIVersion"] = "1.24" }));
            routes(engine._app);
            await engine._app.StartAsync(Token);
            return engine;
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
