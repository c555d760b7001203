using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mirage.LocalEcs.Endpoints;

/// <summary>
/// Refuses what only a web browser would send to the metadata and credentials endpoints, before any route runs: a
/// <c>Host</c> that is neither an IP address nor one of the endpoints' own names (a DNS-rebinding page reaches
/// 127.0.0.1 or 169.254.170.2 under its own name), and any request with <c>Origin</c> or a <c>Sec-Fetch-*</c>
/// header (no SDK sends them; every browser does). Refusals are 403 JSON in the agent's error shape.
/// </summary>
public static class BrowserRequestGuard
{
    /// <summary>The names the endpoints answer to besides IP addresses.</summary>
    public static IReadOnlyList<string> DefaultHostNames { get; } = ["localhost"];

    /// <summary>Adds the guard to <paramref name="app"/>; <paramref name="hostNames"/> are matched case-insensitively.</summary>
    public static IApplicationBuilder UseBrowserRequestGuard(this IApplicationBuilder app, IEnumerable<string> hostNames)
    {
        ArgumentNullException.ThrowIfNull(app);
        var names = new HashSet<string>(DefaultHostNames.Concat(hostNames), StringComparer.OrdinalIgnoreCase);
        return app.Use(next => context => Refusal(context.Request, names) is { } message
            ? EndpointResponses.CredentialsErrorAsync(context, StatusCodes.Status403Forbidden, "BrowserRequestRefused", message)
            : next(context));
    }

    /// <summary>Why the request is refused, or null when it may go on.</summary>
    public static string? Refusal(HttpRequest request, IReadOnlySet<string> hostNames)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(hostNames);
        if (request.Headers.Origin.Count > 0)
        {
            return "a request with an Origin header comes from a web page; the endpoints answer only programs (AWS SDKs, curl) that send none";
        }
        if (request.Headers.Keys.FirstOrDefault(k => k.StartsWith("Sec-Fetch-", StringComparison.OrdinalIgnoreCase)) is { } fetch)
        {
            return $"a request with a {fetch} header comes from a web browser; the endpoints answer only programs (AWS SDKs, curl) that send none";
        }
        // HTTP/1.0 may have no Host at all: no browser sends that, and there is no name to have been rebound.
        var host = request.Host.Host;
        if (host.Length > 0 && !IsIpLiteral(host) && !hostNames.Contains(host))
        {
            return $"Host '{Printable(host)}' is not an IP address nor a name of these endpoints ({string.Join(", ", hostNames.Order(StringComparer.Ordinal))}); " +
                "call them by address, as the URIs in AWS_CONTAINER_CREDENTIALS_FULL_URI and ECS_CONTAINER_METADATA_URI_V4 do";
        }
        return null;
    }

    /// <summary>A dotted-quad IPv4 address as written by the address itself, or a bracketed IPv6 address.</summary>
    private static bool IsIpLiteral(string host)
    {
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            return IPAddress.TryParse(host.AsSpan(1, host.Length - 2), out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }
        // IPAddress also parses "1" or "0x7f.1"; only the canonical form counts, so no odd spelling slips through.
        return IPAddress.TryParse(host, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork
            && string.Equals(v4.ToString(), host, StringComparison.Ordinal);
    }

    /// <summary>The host as it can be shown in a message: printable ASCII, at most 100 characters.</summary>
    private static string Printable(string host) =>
        new([.. host.Take(100).Select(c => c is > ' ' and < (char)127 ? c : '?')]);
}
