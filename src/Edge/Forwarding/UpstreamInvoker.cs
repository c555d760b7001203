using System.Net;
using System.Net.Http;

namespace Mirage.Edge.Forwarding;

/// <summary>
/// The one client every forwarded request goes through: pooled connections, no proxy, no decompression, no cookies,
/// no redirects (the upstream's answers are passed on as they are), and the header timeout handler on top when
/// <c>proxy_timeout</c> is set (without it the handler would only cost each request a lookup and an allocation).
/// </summary>
public static class UpstreamInvoker
{
    public static HttpMessageInvoker Create(EdgeOptions options, bool headerTimeout)
    {
        var sockets = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            // The client's own trace headers are copied through; the proxy adds none of its own.
            ActivityHeadersPropagator = null,
        };
        return new HttpMessageInvoker(headerTimeout ? new HeaderTimeoutHandler(sockets) : sockets, disposeHandler: true);
    }
}
