using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Mirage.Aws.Telemetry;
using Mirage.Edge.Metrics;
using Mirage.LocalEcs;
using Mirage.Model.Telemetry;
using Mirage.Reconciler.Reconciling;

namespace Mirage.Api.Telemetry;

/// <summary>
/// Wires the projects' meters and activity sources to exporters: a Prometheus scrape endpoint at <c>/metrics</c> on
/// the web API host, and OTLP when the standard <c>OTEL_EXPORTER_OTLP_*</c> variables name an endpoint (the exporter
/// reads them itself, as it does <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>, <c>OTEL_BSP_*</c> and
/// <c>OTEL_METRIC_EXPORT_INTERVAL</c>). Traces are collected only when they have somewhere to go, so without an OTLP
/// endpoint no span is ever started. <c>OTEL_SDK_DISABLED=true</c> turns all of it off: no listener, no
/// <c>/metrics</c>.
/// </summary>
public static class TelemetrySetup
{
    public const string ServiceName = "mirage";
    public const string DisabledSetting = "OTEL_SDK_DISABLED";

    public static readonly string[] MeterNames = [ReconcilerMetrics.MeterName, EdgeMetrics.MeterName, AwsCallTelemetry.MeterName];

    public static readonly string[] SourceNames =
        [ApiTracingMiddleware.SourceName, MirageTracing.ModelSourceName, ReconcilerTracing.SourceName, AwsCallTelemetry.SourceName, LocalEcsTracing.SourceName];

    public static bool IsDisabled(IConfiguration configuration) =>
        string.Equals(configuration[DisabledSetting], "true", StringComparison.OrdinalIgnoreCase);

    public static IServiceCollection AddMirageTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (IsDisabled(configuration))
        {
            return services;
        }
        var otlp = IsSet(configuration, "OTEL_EXPORTER_OTLP_ENDPOINT");
        var otlpMetrics = otlp || IsSet(configuration, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
        var otlpTraces = otlp || IsSet(configuration, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(MeterNames).AddPrometheusExporter();
                // Built with the meter provider, so their observable instruments (leader, lifecycle states, Edge
                // requests) exist from the start, on followers too, not only once something first uses them.
                metrics.AddInstrumentation(sp => sp.GetRequiredService<ReconcilerMetrics>());
                metrics.AddInstrumentation(sp => sp.GetRequiredService<EdgeMetrics>());
                if (otlpMetrics)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlpTraces)
        {
            builder.WithTracing(tracing => tracing.AddSource(SourceNames).AddOtlpExporter());
        }
        return services;
    }

    /// <summary>Before sign-in, as the health endpoints: a scraper carries no credentials; the series hold no secrets.</summary>
    public static IApplicationBuilder UseMirageMetricsEndpoint(this IApplicationBuilder app, IConfiguration configuration) =>
        IsDisabled(configuration)
            ? app.Map("/metrics", off => off.Run(context =>
            {
                // A scraper's owner should learn why there is nothing, not guess at a wrong path.
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                context.Response.ContentType = "text/plain; charset=utf-8";
                return context.Response.WriteAsync($"metrics are off: {DisabledSetting}=true\n", context.RequestAborted);
            }))
            : app.UseOpenTelemetryPrometheusScrapingEndpoint("/metrics");

    /// <summary>The API's request spans; behind the Edge's dispatch, so proxied requests never pass here.</summary>
    public static IApplicationBuilder UseMirageTracing(this IApplicationBuilder app) =>
        app.UseMiddleware<ApiTracingMiddleware>();

    private static bool IsSet(IConfiguration configuration, string key) => configuration[key] is { Length: > 0 };
}
