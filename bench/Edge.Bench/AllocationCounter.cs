using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mirage.Edge.Bench;

/// <summary>
/// A child's bytes allocated so far (<see cref="GC.GetTotalAllocatedBytes(bool)"/>), served on a port of its own
/// (<c>serve ... --stats-port P</c>) so the parent reads it before and after a run without touching the measured
/// pipeline; the few hundred bytes each read costs are nothing next to a run's requests.
/// </summary>
public static class AllocationCounter
{
    public static async Task ServeAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http1));
        await using var app = builder.Build();
        app.Run(context => context.Response.WriteAsync(GC.GetTotalAllocatedBytes(precise: true).ToString(CultureInfo.InvariantCulture), cancellationToken));
        await app.StartAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
    }

    public static async Task<long> ReadAsync(HttpClient client, int port, CancellationToken cancellationToken) =>
        long.Parse(await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"), cancellationToken), CultureInfo.InvariantCulture);
}
