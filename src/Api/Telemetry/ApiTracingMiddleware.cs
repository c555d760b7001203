using System.Diagnostics;
using Microsoft.AspNetCore.Routing;

namespace Mirage.Api.Telemetry;

/// <summary>
/// A server span for each request to the web API host (<c>Mirage.Api</c> source), named <c>{method} {route}</c> as
/// OpenTelemetry's HTTP conventions say, continuing a caller's W3C <c>traceparent</c>. It sits behind the Edge's
/// dispatch: proxied requests never reach it, and ASP.NET Core's own per-request activity stays off for them
/// (docs/architecture.md). Without a listener (tracing not exported) it starts nothing.
/// </summary>
public sealed class ApiTracingMiddleware(RequestDelegate next)
{
    public const string SourceName = "Mirage.Api";

    // Immutable and thread-safe; static, as .NET's activity sources are meant to be.
    private static readonly ActivitySource Source = new(SourceName);

    // Scrapes and health probes every few seconds would bury the requests worth a trace.
    private static bool IsProbe(PathString path) =>
        path.Equals("/metrics", StringComparison.Ordinal) || path.Equals("/healthz", StringComparison.Ordinal) || path.Equals("/readyz", StringComparison.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!Source.HasListeners() || IsProbe(context.Request.Path))
        {
            await next(context);
            return;
        }
        var request = context.Request;
        ActivityContext.TryParse(request.Headers.TraceParent, request.Headers.TraceState, isRemote: true, out var parent);
        using var activity = Source.StartActivity(request.Method, ActivityKind.Server, parent);
        activity?.SetTag("http.request.method", request.Method);
        activity?.SetTag("url.path", request.Path.Value);
        try
        {
            await next(context);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        finally
        {
            if (activity is not null)
            {
                var status = context.Response.StatusCode;
                activity.SetTag("http.response.status_code", status);
                if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route })
                {
                    activity.DisplayName = $"{request.Method} {route}";
                    activity.SetTag("http.route", route);
                }
                if (status >= 500)
                {
                    activity.SetStatus(ActivityStatusCode.Error);
                }
            }
        }
    }
}
