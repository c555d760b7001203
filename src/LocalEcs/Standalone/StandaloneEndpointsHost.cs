using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mirage.LocalEcs.Credentials;
using Mirage.LocalEcs.Docker;
using Mirage.LocalEcs.Endpoints;

namespace Mirage.LocalEcs.Standalone;

/// <summary>The web host of <c>mirage local-endpoints</c>: Kestrel on the configured addresses, the standalone routes.</summary>
public static class StandaloneEndpointsHost
{
    /// <summary>Builds the host; run it (it stops on SIGTERM/Ctrl-C) or start and dispose it.</summary>
    public static WebApplication Build(StandaloneSettings settings, ILoggerFactory loggerFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            foreach (var endpoint in settings.Listen)
            {
                kestrel.Listen(endpoint);
            }
        });
        // The engine's bridge with the address to listen on may appear only when its first container starts.
        builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = FreeBindSocket.Create);
        builder.Services.AddRoutingCore();
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new DockerEngineClient(settings.DockerHost));
        builder.Services.AddSingleton<StandaloneMetadataBuilder>();
        builder.Services.AddSingleton(Options.Create(new LocalEcsOptions
        {
            Region = settings.Region,
            StsServiceUrl = settings.StsServiceUrl,
            PassThroughCredentialsLifetime = settings.SharedTokenExpiration,
        }));
        builder.Services.AddSingleton(sp => new TaskCredentialsProvider(sp.GetRequiredService<IOptions<LocalEcsOptions>>(), time));
        builder.Services.AddSingleton<StandaloneEndpointServices>();
        var app = builder.Build();
        // Before routing: a refused browser request reaches neither the engine nor STS.
        app.UseBrowserRequestGuard([StandaloneSettings.EcsEndpointAddress, .. settings.HostNames]);
        app.UseRouting();
        app.MapStandaloneEndpoints();
        return app;
    }
}
