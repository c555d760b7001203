using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mirage.Aws.CloudWatch;
using Mirage.Aws.Configuration;
using Mirage.Aws.Credentials;
using Mirage.Aws.Ecs;
using Mirage.Aws.Endpoints;
using Mirage.Aws.Logs;
using Mirage.Aws.Resilience;
using Mirage.Aws.Route53;
using Mirage.Aws.S3;
using Mirage.Aws.Signing;
using Mirage.Aws.Telemetry;
using Mirage.Aws.Transport;

namespace Mirage.Aws;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// The AWS clients (ECS, CloudWatch, CloudWatch Logs, Route53 as typed HttpClients; S3 via AWSSDK.S3) with their
    /// options validated when the host starts.
    /// </summary>
    public static IServiceCollection AddMirageAws(this IServiceCollection services, Action<AwsOptions>? configure = null)
    {
        services.AddOptions<AwsOptions>().Configure(configure ?? (_ => { })).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwsOptions>, AwsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton(sp => new AwsEnvironment(sp.GetRequiredService<IOptions<AwsOptions>>().Value.Environment));
        services.TryAddSingleton(sp => AwsRegion.Resolve(sp.GetRequiredService<IOptions<AwsOptions>>().Value));
        services.TryAddSingleton<AwsEndpointResolver>();
        services.TryAddSingleton<IAwsCredentialsSource, SdkCredentialsSource>();
        services.TryAddSingleton<SigV4Signer>();
        services.TryAddSingleton<AwsResiliencePipelines>();
        services.TryAddSingleton<AwsRateLimiters>();
        services.AddMetrics();
        services.TryAddSingleton<AwsCallTelemetry>();
        services.TryAddSingleton<AwsClientContext>();
        services.TryAddSingleton<TaskDefinitionCache>();

        services.AddHttpClient<EcsClient>(ConfigureClient).ConfigurePrimaryHttpMessageHandler(CreateHandler);
        services.AddHttpClient<CloudWatchClient>(ConfigureClient).ConfigurePrimaryHttpMessageHandler(CreateHandler);
        services.AddHttpClient<CloudWatchLogsClient>(ConfigureClient).ConfigurePrimaryHttpMessageHandler(CreateHandler);
        services.AddHttpClient<Route53Client>(ConfigureClient).ConfigurePrimaryHttpMessageHandler(CreateHandler);

        services.TryAddSingleton<IAmazonS3>(sp => S3ClientFactory.Create(
            sp.GetRequiredService<AwsEndpointResolver>(),
            sp.GetRequiredService<IAwsCredentialsSource>(),
            sp.GetRequiredService<IOptions<AwsOptions>>().Value.AttemptTimeout,
            sp.GetRequiredService<AwsCallTelemetry>()));
        services.TryAddSingleton<S3ObjectStore>();
        return services;
    }

    // Timeouts are per attempt in the resilience pipeline; HttpClient's own would cut across retries.
    private static void ConfigureClient(HttpClient client) => client.Timeout = Timeout.InfiniteTimeSpan;

    // Connections are recycled so long-lived holders of a typed client still see DNS changes.
    private static HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.All,
    };
}
