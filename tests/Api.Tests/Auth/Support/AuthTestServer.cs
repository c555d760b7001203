using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Mirage.Api.Auth;
using Mirage.Api.Hosting;
using Mirage.Api.MirageEcsApi;
using Mirage.Edge.Hosting;
using Mirage.Model.Configuration;
using Mirage.TestKit;

namespace Mirage.Api.Tests.Auth.Support;

/// <summary>
/// The Edge and the auth rules on a real Kestrel port on 127.0.0.1, wired as MirageServer wires them, in front of
/// stand-in endpoints (as mirage-ecs's auth tests use): <c>GET /</c> "ok", <c>POST /launch</c> "launched",
/// <c>POST /terminate</c> (reads a form), <c>GET /api/list</c>, <c>POST /api/launch</c> (reads the body as the API does).
/// </summary>
public sealed class AuthTestServer : IAsyncDisposable
{
    public const string WebApi = "mirage.localtest.me";
    public const string Suffix = ".localtest.me";

    private readonly WebApplication _app;

    private AuthTestServer(WebApplication app, MirageConfig config, CapturedLogs logs)
    {
        _app = app;
        Config = config;
        Logs = logs;
    }

    public MirageConfig Config { get; }

    public CapturedLogs Logs { get; }

    public int Port => Config.Listen.Http[0].Listen;

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public static async Task<AuthTestServer> StartAsync(
        AuthConfig? auth,
        bool compatV1 = false,
        Action<AmznOidcOptions>? oidc = null,
        TimeProvider? time = null)
    {
        var config = new MirageConfig
        {
            Host = new HostConfig { WebApi = WebApi, ReverseProxySuffix = Suffix },
            Listen = new ListenConfig { ForeignAddress = "127.0.0.1", Http = [new ListenPort(FreePort.Next(), 80)] },
            Auth = auth,
        };
        var logs = new CapturedLogs();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEdgeListeners(config));
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(new ApiBehaviour(compatV1));
        builder.Services.AddMirageEdge(config);
        builder.Services.AddMirageAuth(oidc);

        var app = builder.Build();
        app.UseMirageEdge();
        app.UseRouting();
        app.UseMirageAuth();
        app.MapGet("/", () => "ok");
        app.MapPost("/launch", () => "launched");
        app.MapPost("/terminate", async (HttpRequest request, CancellationToken token) =>
        {
            var form = await request.ReadFormAsync(token);
            return $"terminated {form["subdomain"]}";
        });
        app.MapGet("/api/list", () => Results.Json(new ListResponse([]), ApiJsonContext.Default.ListResponse));
        app.MapPost("/api/launch", async (HttpRequest request, CancellationToken token) =>
        {
            var (body, status, error) = await RequestBody.ReadAsync(request, compatV1, token);
            return MirageEcsApiEndpoints.Result(body is null ? status : StatusCodes.Status200OK, body is null ? error! : "ok");
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new AuthTestServer(app, config, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
