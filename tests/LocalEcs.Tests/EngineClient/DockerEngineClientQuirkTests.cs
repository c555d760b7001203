using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Mirage.LocalEcs.Docker;
using Mirage.TestKit;

namespace Mirage.LocalEcs.Tests.EngineClient;

/// <summary>The engine client against a loopback engine that answers as podman does mid-removal.</summary>
public sealed class DockerEngineClientQuirkTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_container_podman_is_removing_inspects_as_gone_and_other_engine_errors_still_throw()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var engine = builder.Build();
        // podman 4.3's answer while a container is being removed, and an unrelated engine failure (the client asks on
        // unversioned paths: each engine answers those at its own API version).
        engine.MapGet("/containers/removing/json", () => Results.Json(
            new { cause = "no such container", message = "container removing does not exist in database: no such container", response = 500 },
            statusCode: (int)HttpStatusCode.InternalServerError));
        engine.MapGet("/containers/broken/json", () => Results.Json(
            new { message = "database is locked", response = 500 }, statusCode: (int)HttpStatusCode.InternalServerError));
        await engine.StartAsync(Token);
        using var client = new DockerEngineClient($"tcp://127.0.0.1:{port}");

        Assert.Null(await client.InspectContainerAsync("removing", Token));
        var error = await Assert.ThrowsAsync<DockerEngineException>(() => client.InspectContainerAsync("broken", Token));
        Assert.Contains("database is locked", error.Message, StringComparison.Ordinal);
    }
}
