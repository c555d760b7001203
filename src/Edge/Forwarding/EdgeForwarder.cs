using System.Net;
using System.Net.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Mirage.Edge.Dispatch;
using Mirage.Edge.Logging;
using Mirage.Edge.Metrics;
using Mirage.Model.Configuration;
using Mirage.Model.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Mirage.Edge.Forwarding;

/// <summary>
/// Forwards one request to one of a route's destinations with YARP's <see cref="IHttpForwarder"/>, and turns failures
/// into answers: a refused connection takes the destination out of rotation and, for a bodyless request, is retried
/// once elsewhere; <c>proxy_timeout</c> before response headers is 504; other upstream failures are 502.
/// </summary>
public sealed class EdgeForwarder(
    IHttpForwarder forwarder,
    HttpMessageInvoker invoker,
    DestinationSelector selector,
    EdgeTransformer transformer,
    MirageConfig config,
    TimeProvider time,
    EdgeMetrics metrics,
    ILogger<EdgeForwarder> logger)
{
    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        // Upstreams are plain HTTP/1.1 task ports; clients may still speak HTTP/2 to the Edge.
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        // No idle limit on the exchange (YARP's default is 100 s): proxy_timeout covers waiting for headers, and a
        // quiet websocket or event stream must stay open, as in mirage-ecs.
        ActivityTimeout = Timeout.InfiniteTimeSpan,
        AllowResponseBuffering = false,
    };

    private readonly TimeSpan _proxyTimeout = config.Network.ProxyTimeout;
    private readonly DestinationPrefixes _prefixes = new();

    /// <param name="routeKey">The route's key (its subdomain, or its pattern for a wildcard route): the metrics' environment.</param>
    public async Task ForwardAsync(HttpContext context, string subdomain, string routeKey, IReadOnlyList<RouteDestination> destinations)
    {
        // Bodies are streamed, so Kestrel's 30 MB buffering guard does not apply to proxied requests.
        var maxBody = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (maxBody is { IsReadOnly: false })
        {
            maxBody.MaxRequestBodySize = null;
        }

        var destination = selector.Pick(destinations);
        if (destination is null)
        {
            await PlainText.WriteAsync(context, StatusCodes.Status404NotFound, $"{subdomain} has no destination\n");
            metrics.RequestAnswered(routeKey, context.Response.StatusCode);
            return;
        }

        // Measured in this method's own state machine (two more fields in it), so the metrics add no object per request.
        var started = time.GetTimestamp();
        try
        {
            var error = await SendAsync(context, destination);
            if (error == ForwarderError.None)
            {
                return;
            }

            var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            if (IsRefused(exception))
            {
                selector.MarkRefused(destination);
                EdgeLog.DestinationRefused(logger, destination.ToString(), selector.Cooldown);
                if (CanRetry(context) && selector.Pick(destinations, exclude: destination) is { } second)
                {
                    EdgeLog.Retrying(logger, subdomain, second.ToString());
                    context.Response.Clear();
                    context.Features.Set<IForwarderErrorFeature>(null);
                    destination = second;
                    error = await SendAsync(context, destination);
                    if (error == ForwarderError.None)
                    {
                        return;
                    }
                    exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
                    if (IsRefused(exception))
                    {
                        selector.MarkRefused(destination);
                        EdgeLog.DestinationRefused(logger, destination.ToString(), selector.Cooldown);
                    }
                }
            }

            await AnswerFailureAsync(context, subdomain, destination, error, exception);
        }
        finally
        {
            metrics.Forwarded(routeKey, context.Response.StatusCode, time.GetElapsedTime(started));
        }
    }

    // Without proxy_timeout the request goes straight to YARP: no timer, no wrapped body, no extra state machine.
    private ValueTask<ForwarderError> SendAsync(HttpContext context, RouteDestination destination) =>
        _proxyTimeout <= TimeSpan.Zero
            ? forwarder.SendAsync(context, _prefixes.For(destination), invoker, RequestConfig, transformer)
            : SendWithHeaderTimeoutAsync(context, destination);

    private async ValueTask<ForwarderError> SendWithHeaderTimeoutAsync(HttpContext context, RouteDestination destination)
    {
        using var timeout = new HeaderTimeout(_proxyTimeout, time);
        context.Features.Set(timeout);
        var originalBody = context.Request.Body;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            context.Request.Body = new BodyEndSignalingStream(originalBody, context.Request.ContentLength, timeout);
        }
        try
        {
            return await forwarder.SendAsync(context, _prefixes.For(destination), invoker, RequestConfig, transformer);
        }
        finally
        {
            context.Request.Body = originalBody;
            context.Features.Set<HeaderTimeout>(null);
        }
    }

    private async Task AnswerFailureAsync(HttpContext context, string subdomain, RouteDestination destination,
        ForwarderError error, Exception? exception)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return;
        }
        if (FindInChain<UpstreamHeadersTimeoutException>(exception) is { } timeout)
        {
            EdgeLog.UpstreamHeadersTimeout(logger, subdomain, destination.ToString(), timeout.Timeout);
        }
        else
        {
            EdgeLog.ProxyError(logger, subdomain, destination.ToString(), error, exception);
        }
        if (context.Response.HasStarted)
        {
            // YARP has already reset the stream so the client sees a truncated response, not a complete one.
            return;
        }

        var status = context.Response.StatusCode;
        if (FindInChain<UpstreamHeadersTimeoutException>(exception) is not null || status == StatusCodes.Status504GatewayTimeout)
        {
            context.Response.Clear();
            await PlainText.WriteAsync(context, StatusCodes.Status504GatewayTimeout, $"{subdomain} upstream timeout\n");
        }
        else if (status is StatusCodes.Status502BadGateway or < 400)
        {
            context.Response.Clear();
            await PlainText.WriteAsync(context, StatusCodes.Status502BadGateway, $"{subdomain} upstream error\n");
        }
        // Other statuses YARP chose (e.g. 400 for a broken client body) stand as they are.
    }

    private static bool CanRetry(HttpContext context) =>
        !context.Response.HasStarted
        && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true;

    private static bool IsRefused(Exception? exception) =>
        FindInChain<HttpRequestException>(exception) is { HttpRequestError: HttpRequestError.ConnectionError };

    private static T? FindInChain<T>(Exception? exception) where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (FindInChain<T>(inner) is { } found)
                    {
                        return found;
                    }
                }
            }
        }
        return null;
    }
}
