using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mirage.Edge.Hosting;
using Mirage.Edge.Metrics;
using Mirage.Model.Configuration;
using Mirage.Model.Routing;
using Mirage.TestKit;

namespace Mirage.Edge.Tests.Support;

/// <summary>
/// The Edge on real Kestrel ports on 127.0.0.1, wired the way the Api host wires it, with a one-line stand-in for the
/// API pipeline at <c>/api/ping</c>.
/// </summary>
public sealed class EdgeServer : IAsyncDisposable
{
    public const string WebApiHost = "mirage.dev.test";
    public const string Suffix = ".dev.test";

    private readonly WebApplication _app;

    private EdgeServer(WebApplication app, MirageConfig config, ListLoggerProvider logs)
    {
        _app = app;
        Config = config;
        Logs = logs;
    }

    public MirageConfig Config { get; }

    public ListLoggerProvider Logs { get; }

    public RouteTablePublisher Routes => _app.Services.GetRequiredService<RouteTablePublisher>();

    public AccessCounters Counters => _app.Services.GetRequiredService<AccessCounters>();

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>The first listen port.</summary>
    public int Port => Config.Listen.Http[0].Listen;

    /// <param name="listen">Target ports, each given its own free listen port; cookie rule per entry.</param>
    /// <param name="intents">Where the Edge records wake requests for sleeping routes (none: they answer 503).</param>
    public static async Task<EdgeServer> StartAsync(
        IReadOnlyList<(int Target, bool RequireAuthCookie)>? listen = null,
        TimeSpan proxyTimeout = default,
        string? cookieSecret = null,
        Action<EdgeOptions>? configure = null,
        TimeProvider? time = null,
        HttpProtocols protocols = HttpProtocols.Http1AndHttp2,
        IReadOnlyList<System.Net.IPNetwork>? trustedProxies = null,
        AuthConfig? auth = null,
        Mirage.Model.Intents.IIntentStore? intents = null)
    {
        listen ??= [(80, false)];
        var config = new MirageConfig
        {
            Host = new HostConfig { WebApi = WebApiHost, ReverseProxySuffix = Suffix },
            Listen = new ListenConfig
            {
                ForeignAddress = "127.0.0.1",
                Http = [.. listen.Select(l => new ListenPort(FreePort.Next(), l.Target, l.RequireAuthCookie))],
            },
            Network = new NetworkConfig { ProxyTimeout = proxyTimeout, TrustedProxies = trustedProxies ?? NetworkConfig.DefaultTrustedProxies },
            Auth = auth ?? (cookieSecret is null ? null : new AuthConfig { CookieSecret = cookieSecret }),
        };

        var logs = new ListLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEdgeListeners(config, protocols));
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }
        if (intents is not null)
        {
            builder.Services.AddSingleton(intents);
        }
        builder.Services.AddMirageEdge(config, configure);

        var app = builder.Build();
        app.UseMirageEdge();
        app.UseRouting();
        app.MapGet("/api/ping", () => "api");
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new EdgeServer(app, config, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
