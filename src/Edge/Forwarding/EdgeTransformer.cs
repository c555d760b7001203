using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Mirage.Model.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Mirage.Edge.Forwarding;

/// <summary>
/// Copies the request as it came (Host included, as mirage-ecs), drops hop-by-hop headers, including any the
/// Connection header names, and Mirage's own credentials (<see cref="MirageSecretFilter"/>). When the peer is a
/// trusted proxy (<c>network.trusted_proxies</c>, the ALB) it appends the peer to X-Forwarded-For and keeps the
/// proxy's X-Forwarded-Proto and -Host: appending "http" after the ALB's "https" would make apps that read the last
/// value believe the request was plain HTTP. From any other peer those headers are the client's own claims, so they
/// are replaced with what Mirage sees, and <c>Forwarded</c>, <c>X-Forwarded-Port</c> and <c>X-Real-IP</c> are dropped.
/// </summary>
public sealed class EdgeTransformer(MirageConfig config, MirageSecretFilter secrets) : HttpTransformer
{
    // A collection expression at the call would allocate a new array per request.
    private static readonly char[] Comma = [','];
    private static readonly string[] UntrustedOnlyHeaders = ["Forwarded", "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Real-IP"];

    // An array: a foreach over the interface would allocate an enumerator per request.
    private readonly IPNetwork[] _trustedProxies = [.. config.Network.TrustedProxies];

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        var request = httpContext.Request;
        var headers = proxyRequest.Headers;
        RemoveConnectionListed(request.Headers.Connection, headers, proxyRequest.Content?.Headers);

        secrets.Apply(headers);

        var remote = httpContext.Connection.RemoteIpAddress;
        var peer = remote is null ? null : remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        if (peer is not null && IsTrustedProxy(peer))
        {
            Append(headers, "X-Forwarded-For", request.Headers["X-Forwarded-For"], peer.ToString());
            SetUnlessPresent(headers, "X-Forwarded-Proto", request.Headers["X-Forwarded-Proto"], request.Scheme);
            if (request.Host.HasValue)
            {
                SetUnlessPresent(headers, "X-Forwarded-Host", request.Headers["X-Forwarded-Host"], request.Host.Value);
            }
        }
        else
        {
            // The proxy request holds only what the client sent, so a header the client did not send needs no removal.
            foreach (var name in UntrustedOnlyHeaders)
            {
                if (request.Headers.ContainsKey(name))
                {
                    headers.Remove(name);
                }
            }
            Overwrite(request, headers, "X-Forwarded-For", peer?.ToString());
            Overwrite(request, headers, "X-Forwarded-Proto", request.Scheme);
            Overwrite(request, headers, "X-Forwarded-Host", request.Host.HasValue ? request.Host.Value : null);
        }

        if (httpContext.Features.Get<HeaderTimeout>() is { } timeout)
        {
            proxyRequest.Options.Set(HeaderTimeoutHandler.OptionKey, timeout);
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is not null
            && proxyResponse.Headers.NonValidated.TryGetValues(HeaderNames.Connection, out var connection)
            && proxyResponse.StatusCode != HttpStatusCode.SwitchingProtocols)
        {
            foreach (var value in connection)
            {
                foreach (var token in new StringTokenizer(value, Comma))
                {
                    var name = token.Trim();
                    if (!IsConnectionOption(name))
                    {
                        httpContext.Response.Headers.Remove(name.ToString());
                    }
                }
            }
        }
        return proceed;
    }

    // RFC 9110 §7.6.1: a header named in Connection applies to this hop only.
    private static void RemoveConnectionListed(StringValues connection, HttpHeaders headers, HttpHeaders? contentHeaders)
    {
        if (connection.Count == 0)
        {
            return;
        }
        foreach (var value in connection)
        {
            foreach (var token in new StringTokenizer(value ?? "", Comma))
            {
                var name = token.Trim();
                // The Upgrade header stays for YARP, which forwards or drops it depending on the upgrade.
                if (IsConnectionOption(name) || name.Equals("upgrade", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                var header = name.ToString();
                headers.Remove(header);
                contentHeaders?.Remove(header);
            }
        }
    }

    // Empty, or an option rather than a header name ("Connection: keep-alive" from nearly every upstream): nothing to
    // remove, since YARP drops the Keep-Alive header as hop-by-hop anyway.
    private static bool IsConnectionOption(StringSegment name) =>
        name.Length == 0 || name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("close", StringComparison.OrdinalIgnoreCase);

    private bool IsTrustedProxy(IPAddress peer)
    {
        foreach (var network in _trustedProxies)
        {
            if (network.Contains(peer))
            {
                return true;
            }
        }
        return false;
    }

    private static void Overwrite(HttpRequest request, HttpRequestHeaders headers, string name, string? value)
    {
        if (request.Headers.ContainsKey(name))
        {
            headers.Remove(name);
        }
        if (value is not null)
        {
            headers.TryAddWithoutValidation(name, value);
        }
    }

    private static void SetUnlessPresent(HttpRequestHeaders headers, string name, StringValues existing, string value)
    {
        headers.Remove(name);
        headers.TryAddWithoutValidation(name, existing.Count == 0 ? value : string.Join(", ", existing.ToArray()));
    }

    private static void Append(HttpRequestHeaders headers, string name, StringValues existing, string value)
    {
        headers.Remove(name);
        var joined = existing.Count == 0 ? value : string.Join(", ", existing.ToArray()) + ", " + value;
        headers.TryAddWithoutValidation(name, joined);
    }
}
