using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Mirage.Reconciler.Reconciling;

namespace Mirage.Api.Telemetry;

/// <summary>
/// Wires the projects' meters to exporters: a Prometheus scrape endpoint at <c>/metrics</c> on the web API host,
/// and OTLP when the standard <c>OTEL_EXPORTER_OTLP_*</c> variables name an endpoint (the exporter reads them itself,
/// as it does <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c>).
/// </summary>
public static class TelemetrySetup
{
    public const string ServiceName = "mirage";

    public static IServiceCollection AddMirageTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } || configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] is { Length: > 0 };
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ReconcilerMetrics.MeterName).AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        return services;
    }

    /// <summary>Before sign-in, as the health endpoints: a scraper carries no credentials; the series hold no secrets.</summary>
    public static IApplicationBuilder UseMirageMetricsEndpoint(this IApplicationBuilder app) =>
        app.UseOpenTelemetryPrometheusScrapingEndpoint("/metrics");
}
