using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mirage.Api.Health;

/// <summary>
/// <c>/healthz</c> (live: the process serves) and <c>/readyz</c> (config loaded, intent store reachable, routes loaded)
/// on the web API host, answered before sign-in so probes need no credentials; they reveal no names or values.
/// </summary>
public static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddMirageHealth(this IServiceCollection services)
    {
        services.AddSingleton<RoutesLoadedHealthCheck>();
        services.AddHealthChecks()
            .AddCheck<IntentStoreHealthCheck>("store", tags: [ReadyTag])
            .AddCheck<RoutesLoadedHealthCheck>("routes", tags: [ReadyTag]);
        return services;
    }

    public static IApplicationBuilder UseMirageHealth(this IApplicationBuilder app)
    {
        // Live means the process answers; its dependencies belong to readiness. A config that fails to load never
        // gets this far (Mirage exits), so a running Mirage has its config.
        app.UseHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.UseHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        return app;
    }

    // {"status":"Healthy","checks":{"config":{"status":"Healthy",…},"store":{…},"routes":{…}}}
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var checks = new Dictionary<string, HealthCheckAnswer>(StringComparer.Ordinal);
        if (report.Entries.Count > 0)
        {
            checks["config"] = new HealthCheckAnswer("Healthy", "loaded");
        }
        foreach (var (name, entry) in report.Entries)
        {
            checks[name] = new HealthCheckAnswer(entry.Status.ToString(), entry.Description ?? "");
        }
        return JsonSerializer.SerializeAsync(context.Response.Body, new HealthAnswer(report.Status.ToString(), checks), HealthJsonContext.Default.HealthAnswer, context.RequestAborted);
    }
}
