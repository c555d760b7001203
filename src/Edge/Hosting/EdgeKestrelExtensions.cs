using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Mirage.Edge.Dispatch;
using Mirage.Model.Configuration;

namespace Mirage.Edge.Hosting;

public static class EdgeKestrelExtensions
{
    /// <summary>
    /// One endpoint per <c>listen.http</c> entry on <c>listen.foreign_address</c>.
    /// </summary>
    /// <param name="protocols">
    /// What the endpoints speak. The default, HTTP/1.1 and HTTP/2, gives HTTP/2 where it can be negotiated (TLS ALPN);
    /// on cleartext Kestrel 10 then speaks HTTP/1.1 only and refuses h2c prior knowledge with HTTP_1_1_REQUIRED
    /// (dotnet/aspnetcore#56984). <see cref="HttpProtocols.Http2"/> serves h2c clients but no HTTP/1.1 ones.
    /// </param>
    public static KestrelServerOptions ConfigureEdgeListeners(this KestrelServerOptions options, MirageConfig config,
        HttpProtocols protocols = HttpProtocols.Http1AndHttp2)
    {
        var listeners = new EdgeListeners(config);
        var address = ParseAddress(config.Listen.ForeignAddress);
        // Upstream responses carry their own Server header; the proxy adds none.
        options.AddServerHeader = false;
        foreach (var entry in listeners.All)
        {
            if (address is null)
            {
                options.ListenLocalhost(entry.Listen, listen => listen.Protocols = protocols);
            }
            else
            {
                options.Listen(address, entry.Listen, listen => listen.Protocols = protocols);
            }
        }
        return options;
    }

    // Null means "localhost" (both loopbacks).
    private static IPAddress? ParseAddress(string foreignAddress)
    {
        var value = foreignAddress.Trim();
        if (value.Length == 0)
        {
            return IPAddress.Any;
        }
        if (value.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (IPAddress.TryParse(value.Trim('[', ']'), out var address))
        {
            return address;
        }
        throw new ArgumentException(
            $"listen.foreign_address '{foreignAddress}' is not an IP address; use e.g. 0.0.0.0 (all IPv4), :: (all), or 127.0.0.1",
            nameof(foreignAddress));
    }
}
