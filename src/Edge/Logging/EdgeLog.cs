using Microsoft.Extensions.Logging;
using Mirage.Edge.Auth;
using Yarp.ReverseProxy.Forwarder;

namespace Mirage.Edge.Logging;

/// <summary>The Edge's log events. Cookie values never appear here, only the reason a cookie was refused.</summary>
internal static partial class EdgeLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "proxy error for {Subdomain} via {Destination}: {Error}")]
    public static partial void ProxyError(ILogger logger, string subdomain, string destination, ForwarderError error, Exception? exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "{Destination} refused a connection; out of rotation for {Cooldown}")]
    public static partial void DestinationRefused(ILogger logger, string destination, TimeSpan cooldown);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning,
        Message = "{Subdomain}: no response headers from {Destination} within proxy_timeout {Timeout}")]
    public static partial void UpstreamHeadersTimeout(ILogger logger, string subdomain, string destination, TimeSpan timeout);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error,
        Message = "listen port {ListenPort} requires the auth cookie but auth.cookie_secret is not set: every proxied request on it gets 403 until it is")]
    public static partial void CookieSecretMissing(ILogger logger, int listenPort);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug,
        Message = "{Subdomain}: auth cookie refused ({Verdict})")]
    public static partial void CookieRefused(ILogger logger, string subdomain, AuthCookieVerdict verdict);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information,
        Message = "retrying {Subdomain} on {Destination} after a refused connection")]
    public static partial void Retrying(ILogger logger, string subdomain, string destination);
}
