using Amazon.DynamoDBv2;
using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mirage.Aws.Backend;
using Mirage.Aws.Configuration;
using Mirage.Aws.Credentials;
using Mirage.Aws.Discovery;
using Mirage.Aws.Endpoints;
using Mirage.Aws.Events;
using Mirage.Aws.Intents;
using Mirage.Aws.Leadership;
using Mirage.Aws.Links;
using Mirage.Aws.Metrics;
using Mirage.Aws.Routing;
using Mirage.Aws.S3;
using Mirage.Model.Backend;
using Mirage.Model.Configuration;
using Mirage.Model.Intents;
using Mirage.Model.Leadership;
using Mirage.Model.Links;
using Mirage.Model.Metrics;
using Mirage.Model.Routing;

namespace Mirage.Aws;

public static class AwsBackendServiceCollectionExtensions
{
    /// <summary>
    /// Mirage on AWS: the ECS backend (with self-discovery, awaited by every backend call), Route53 link records when
    /// <c>link.hosted_zone_id</c> is set (the zone is read at start: a wrong id stops Mirage), CloudWatch access counts
    /// (sink and reader), intents in S3 when <c>intents</c> is an s3:// URL, and htmldir from S3; with
    /// <c>cluster.lease_table</c>, the DynamoDB lease store and the route table shared through the intent bucket. Call it before
    /// AddMirageEdge, whose local access count reader is only a fallback.
    /// </summary>
    public static IServiceCollection AddAwsBackend(this IServiceCollection services, MirageConfig config, Action<AwsOptions>? configure = null)
    {
        services.AddMirageAws(options =>
        {
            if (config.Ecs.Region.Length > 0)
            {
                options.Region = config.Ecs.Region;
            }
            options.EcsRequestsPerSecond = config.Ecs.RequestsPerSecond;
            options.EcsRequestBurst = config.Ecs.RequestBurst;
            configure?.Invoke(options);
        });
        services.AddHttpClient<TaskMetadataClient>();
        services.TryAddSingleton(sp => new EcsSettingsProvider(
            config.Ecs, sp.GetRequiredService<TaskMetadataClient>(), sp.GetRequiredService<Ecs.EcsClient>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EcsSettingsProvider>>()));
        services.TryAddSingleton<AwsEcsBackend>();
        services.Replace(ServiceDescriptor.Singleton<IEcsBackend>(sp => sp.GetRequiredService<AwsEcsBackend>()));

        if (config.Ecs.EventsQueueUrl.Length > 0)
        {
            // The watch: the task cache (ITaskChangeSink, from the reconciler) learns each task change from the queue.
            services.TryAddSingleton<IAmazonSQS>(sp => SqsClientFactory.Create(
                sp.GetRequiredService<AwsEndpointResolver>(),
                sp.GetRequiredService<IAwsCredentialsSource>(),
                sp.GetRequiredService<IOptions<AwsOptions>>().Value.AttemptTimeout,
                EcsEventsWatch.LongPoll,
                sp.GetRequiredService<Telemetry.AwsCallTelemetry>()));
            services.AddHostedService(sp => new EcsEventsWatch(
                sp.GetRequiredService<IAmazonSQS>(),
                config.Ecs.EventsQueueUrl,
                sp.GetRequiredService<AwsEcsBackend>(),
                sp.GetRequiredService<EcsSettingsProvider>(),
                sp.GetRequiredService<ITaskChangeSink>(),
                sp.GetRequiredService<ILeadership>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<EcsEventsWatch>>()));
        }

        if (config.Link.HostedZoneId.Length > 0)
        {
            services.TryAddSingleton(sp => new Route53EnvironmentLinks(
                sp.GetRequiredService<Route53.Route53Client>(), config.Link, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<Route53EnvironmentLinks>>()));
            services.Replace(ServiceDescriptor.Singleton<IEnvironmentLinks>(sp => sp.GetRequiredService<Route53EnvironmentLinks>()));
            services.AddHostedService<Route53LinksStartup>();
        }

        services.AddSingleton<IAccessCountSink, CloudWatchAccessCountSink>();
        services.Replace(ServiceDescriptor.Singleton<IAccessCountReader, CloudWatchAccessCountReader>());

        if (S3Location.IsS3(config.Intents))
        {
            var location = S3Location.Parse(config.Intents);
            services.TryAddSingleton(sp => new S3IntentStore(sp.GetRequiredService<S3ObjectStore>(), location, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<S3IntentStore>>()));
            services.Replace(ServiceDescriptor.Singleton<IIntentStore>(sp => sp.GetRequiredService<S3IntentStore>()));
            services.AddHostedService<S3IntentStoreRefresher>();
            if (config.Cluster.Enabled)
            {
                // Followers serve the leader's routes; the table travels through the intent bucket.
                services.AddHostedService(sp => new S3RouteTableShare(
                    sp.GetRequiredService<S3ObjectStore>(), location, sp.GetRequiredService<RouteTablePublisher>(), sp.GetRequiredService<ILeadership>(),
                    config.Cluster.RoutesPollInterval, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<S3RouteTableShare>>()));
                // A launch or wake sent to a follower reaches the leader within a poll, not at the next refresh.
                services.AddHostedService(sp => new S3IntentNudge(
                    sp.GetRequiredService<S3ObjectStore>(), sp.GetRequiredService<S3IntentStore>(), sp.GetRequiredService<ILeadership>(),
                    config.Cluster.NudgePollInterval, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<S3IntentNudge>>()));
            }
        }

        if (config.Cluster.Enabled)
        {
            services.TryAddSingleton<IAmazonDynamoDB>(sp => DynamoDbClientFactory.Create(
                sp.GetRequiredService<AwsEndpointResolver>(),
                sp.GetRequiredService<IAwsCredentialsSource>(),
                sp.GetRequiredService<IOptions<AwsOptions>>().Value.AttemptTimeout,
                sp.GetRequiredService<Telemetry.AwsCallTelemetry>()));
            services.TryAddSingleton<ILeaseStore>(sp => new DynamoDbLeaseStore(sp.GetRequiredService<IAmazonDynamoDB>(), config.Cluster.LeaseTable, config.Cluster.LeaseName));
        }

        services.TryAddSingleton<S3HtmlDirResolver>();
        services.Replace(ServiceDescriptor.Singleton<IHtmlDirResolver>(sp => sp.GetRequiredService<S3HtmlDirResolver>()));
        if (S3Location.IsS3(config.HtmlDir))
        {
            services.AddHostedService<HtmlDirStartup>();
        }
        return services;
    }
}
