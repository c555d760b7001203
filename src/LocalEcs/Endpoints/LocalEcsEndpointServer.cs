using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mirage.LocalEcs.Endpoints;

/// <summary>
/// A Kestrel listener of its own on 127.0.0.1 for the metadata and credentials routes. With port 0 it picks a free
/// port once and remembers it in the state folder: tasks adopted after a restart have the old URL in their
/// environment, so the next Mirage listens there again. Starts with the host, or on the first task launch.
/// </summary>
public sealed class LocalEcsEndpointServer(
    IOptions<LocalEcsOptions> options,
    LocalEcsEndpointServices endpointServices,
    Runtimes.LocalRuntimeChoice runtime,
    ILoggerFactory loggerFactory) : IHostedService, ILocalEcsEndpointAddress, IAsyncDisposable
{
    private readonly LocalEcsOptions _options = options.Value;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebApplication? _app;
    private Uri? _address;

    private string PortFile => Path.Combine(_options.StateFolder, "endpoint-port");

    public async Task<Uri> GetBaseAddressAsync(CancellationToken cancellationToken)
    {
        if (_address is { } ready)
        {
            return ready;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _address ??= await StartListeningAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => GetBaseAddressAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
        _gate.Dispose();
    }

    private async Task<Uri> StartListeningAsync(CancellationToken cancellationToken)
    {
        var port = _options.EndpointPort;
        if (port == 0 && File.Exists(PortFile) && int.TryParse(await File.ReadAllTextAsync(PortFile, cancellationToken), CultureInfo.InvariantCulture, out var remembered))
        {
            try
            {
                return await StartOnAsync(remembered, cancellationToken);
            }
            catch (IOException)
            {
                // Taken by something else meanwhile: tasks adopted from before lose their endpoints, new ones get a new port.
            }
        }
        try
        {
            return await StartOnAsync(port, cancellationToken);
        }
        catch (IOException ex) when (port != 0)
        {
            throw new InvalidOperationException($"LocalEcs endpoint port {port} on 127.0.0.1 is not available ({ex.Message}): choose another port or 0 for a free one", ex);
        }
    }

    private async Task<Uri> StartOnAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        var containerAddress = runtime.IsDocker ? IPAddress.Parse(_options.ContainerEndpointAddress) : null;
        if (containerAddress is not null && port == 0)
        {
            // Both listeners need the same port (tasks get one base address): pick it first.
            port = FreeLoopbackPort();
        }
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            if (containerAddress is not null)
            {
                kestrel.Listen(containerAddress, port);
            }
        });
        // The engine network's bridge (with the gateway address) may appear only when its first container starts.
        builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = FreeBindSocket.Create);
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, HostOwnedLifetime>();
        // Tasks are stopped before this listener; a stuck request from one must not hold Mirage's shutdown.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(endpointServices);
        var app = builder.Build();
        // Tasks are given the endpoints by IP address; a name in Host is a web page that rebound its own name here.
        app.UseBrowserRequestGuard([]);
        app.UseRouting();
        app.MapLocalEcsEndpoints();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First(a => a.Contains("127.0.0.1", StringComparison.Ordinal));
        var actual = new Uri(address).Port;
        Directory.CreateDirectory(_options.StateFolder);
        await File.WriteAllTextAsync(PortFile, actual.ToString(CultureInfo.InvariantCulture), cancellationToken);
        var baseAddress = new Uri($"http://127.0.0.1:{actual.ToString(CultureInfo.InvariantCulture)}/");
        Log.EndpointsListening(loggerFactory.CreateLogger<LocalEcsEndpointServer>(), baseAddress);
        return baseAddress;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
