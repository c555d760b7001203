using System.Text;
using Microsoft.AspNetCore.Http;
using Mirage.Edge.Auth;
using Mirage.Edge.Forwarding;
using Mirage.Edge.Metrics;
using Mirage.Edge.Waking;
using Mirage.Model.Configuration;
using Mirage.Model.Routing;

namespace Mirage.Edge.Dispatch;

/// <summary>
/// The front door (mirage-ecs §3.1): Host equal to <c>host.webapi</c> goes on down the pipeline (the API and UI);
/// a host under the proxy suffix is proxied when a route serves its subdomain and is 404 otherwise; any other Host
/// gets the 200 health answer.
/// </summary>
public sealed class HostDispatchMiddleware(
    RequestDelegate next,
    MirageConfig config,
    EdgeOptions options,
    EdgeListeners listeners,
    RouteTablePublisher routes,
    AccessCounters counters,
    AuthCookieGate cookieGate,
    EdgeForwarder forwarder,
    SleepingHostWaker waker,
    EdgeMetrics metrics)
{
    private static readonly byte[] HealthBody = Encoding.UTF8.GetBytes("mirage-ecs\n");

    public Task InvokeAsync(HttpContext context)
    {
        var host = RequestHost.Classify(context.Request.Host.Value, config.Host);
        return host.Kind switch
        {
            HostKind.WebApi => next(context),
            HostKind.Environment => ProxyAsync(context, host),
            HostKind.NotFound => NotFoundAsync(context, host),
            HostKind.Invalid => PlainText.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"invalid Host header: longer than {RequestHost.MaxHostLength} characters\n"),
            _ => HealthAsync(context),
        };
    }

    private Task ProxyAsync(HttpContext context, RequestHost host)
    {
        var route = routes.Current.Find(host.Subdomain);
        if (route is null)
        {
            return NotFoundAsync(context, host);
        }

        var listener = listeners.Find(context.Connection.LocalPort);
        if (listener is { RequireAuthCookie: true } && !cookieGate.Allows(context, host.Subdomain))
        {
            metrics.RequestAnswered(route.Subdomain, StatusCodes.Status403Forbidden);
            return PlainText.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden\n");
        }

        // Counted after the cookie check (mirage-ecs counts before it): requests anyone can send without logging in
        // must not keep an idle environment from being purged.
        counters.Increment(route.Subdomain);

        if (route.Sleeping)
        {
            // Asleep: wake it (once per host), wait for it, then forward as below; awake routes never come here.
            return waker.ServeAsync(context, host.Host, route, awake => ForwardAsync(context, host, awake, listener));
        }
        return ForwardAsync(context, host, route, listener);
    }

    private Task ForwardAsync(HttpContext context, RequestHost host, Route route, ListenPort? listener)
    {
        var destinations = listener is null ? null : DestinationsFor(route, listener.Target);
        return destinations is null
            ? NotFoundAsync(context, host)
            : forwarder.ForwardAsync(context, host.Subdomain, route.Subdomain, destinations);
    }

    private IReadOnlyList<RouteDestination>? DestinationsFor(Route route, int target)
    {
        if (route.Destinations.TryGetValue(target, out var destinations) && destinations.Count > 0)
        {
            return destinations;
        }
        if (!options.AnyTargetPort)
        {
            return null;
        }
        IReadOnlyList<RouteDestination>? lowest = null;
        var lowestPort = int.MaxValue;
        foreach (var (port, candidates) in route.Destinations)
        {
            if (port < lowestPort && candidates.Count > 0)
            {
                lowestPort = port;
                lowest = candidates;
            }
        }
        return lowest;
    }

    private static Task NotFoundAsync(HttpContext context, RequestHost host) =>
        PlainText.WriteAsync(context, StatusCodes.Status404NotFound, $"{host.Host} is not found\n");

    private static Task HealthAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = PlainText.ContentType;
        response.Headers.XContentTypeOptions = "nosniff";
        response.ContentLength = HealthBody.Length;
        return response.Body.WriteAsync(HealthBody, context.RequestAborted).AsTask();
    }
}
