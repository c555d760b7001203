using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Mirage.Edge.Dispatch;
using Mirage.Model.Configuration;

namespace Mirage.Edge.Hosting;

public static class EdgeKestrelExtensions
{
    /// <summary>
    /// One endpoint per <c>listen.http</c> entry on <c>listen.foreign_address</c>, speaking HTTP/1.1 and HTTP/2
    /// (h2c with prior knowledge; there is no TLS, the ALB terminates it).
    /// </summary>
    public static KestrelServerOptions ConfigureEdgeListeners(this KestrelServerOptions options, MirageConfig config)
    {
        var listeners = new EdgeListeners(config);
        var address = ParseAddress(config.Listen.ForeignAddress);
        // Upstream responses carry their own Server header; the proxy adds none.
        options.AddServerHeader = false;
        foreach (var entry in listeners.All)
        {
            if (address is null)
            {
                options.ListenLocalhost(entry.Listen, Http1AndHttp2);
            }
            else
            {
                options.Listen(address, entry.Listen, Http1AndHttp2);
            }
        }
        return options;
    }

    private static void Http1AndHttp2(ListenOptions listen) => listen.Protocols = HttpProtocols.Http1AndHttp2;

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
