using Microsoft.Extensions.Logging;
using Mirage.Aws.Ecs;
using Mirage.Aws.Ecs.Wire;
using Mirage.Model.Configuration;

namespace Mirage.Aws.Discovery;

/// <summary>
/// Resolves <see cref="EcsSettings"/> once (mirage-ecs §4.1): the config first; what it leaves out comes from the
/// task metadata (cluster), then DescribeTasks (the <c>service:NAME</c> group) and DescribeServices (network
/// configuration). Discovery errors are warnings, as upstream: Mirage also runs outside ECS with a full config.
/// Every backend call awaits this, so no call runs with half-resolved settings whatever order services start in.
/// </summary>
public sealed partial class EcsSettingsProvider(EcsConfig config, TaskMetadataClient metadata, EcsClient ecs, TimeProvider time, ILogger<EcsSettingsProvider> logger)
{
    public const string DefaultLaunchType = "FARGATE";

    private readonly Lazy<Task<EcsSettings>> _settings = new(() => ResolveAsync(config, metadata, ecs, time, logger));

    public Task<EcsSettings> GetAsync(CancellationToken cancellationToken) => _settings.Value.WaitAsync(cancellationToken);

    private static async Task<EcsSettings> ResolveAsync(EcsConfig config, TaskMetadataClient metadata, EcsClient ecs, TimeProvider time, ILogger logger)
    {
        var strategy = config.CapacityProviderStrategy is { Count: > 0 } items
            ? items.Select(i => new EcsCapacityProviderStrategyItem(i.CapacityProvider, i.Weight, i.Base)).ToList()
            : null;
        var settings = new EcsSettings
        {
            Cluster = config.Cluster,
            // A capacity provider strategy wins: ECS refuses a launch type next to one.
            LaunchType = strategy is null ? (string.IsNullOrEmpty(config.LaunchType) ? DefaultLaunchType : config.LaunchType) : null,
            CapacityProviderStrategy = strategy,
            NetworkConfiguration = ToWire(config.NetworkConfiguration),
            EnableExecuteCommand = config.EnableExecuteCommand,
        };
        if (strategy is not null && !string.IsNullOrEmpty(config.LaunchType))
        {
            LogLaunchTypeIgnored(logger, config.LaunchType);
        }
        try
        {
            settings = await DiscoverAsync(settings, metadata, ecs, time, logger);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogDiscoveryFailed(logger, e.Message);
        }
        if (string.IsNullOrEmpty(settings.Cluster))
        {
            throw new InvalidOperationException("ecs.cluster is not set and could not be discovered from the ECS task metadata; set ecs.cluster in the config file");
        }
        LogResolved(logger, settings.Cluster, settings.LaunchType ?? "capacity provider strategy", settings.NetworkConfiguration?.AwsvpcConfiguration?.Subnets.Count ?? 0);
        return settings;
    }

    private static async Task<EcsSettings> DiscoverAsync(EcsSettings settings, TaskMetadataClient metadata, EcsClient ecs, TimeProvider time, ILogger logger)
    {
        // Discovery is bounded: a slow metadata or ECS endpoint must not hold up every backend call for long.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60), time);
        var (cluster, taskArn) = await metadata.GetTaskAsync(timeout.Token);
        if (string.IsNullOrEmpty(settings.Cluster))
        {
            settings = settings with { Cluster = cluster };
            LogDiscovered(logger, "cluster", cluster);
        }
        var tasks = await ecs.DescribeTasksAsync(settings.Cluster, [taskArn], timeout.Token);
        var group = tasks.Tasks?.FirstOrDefault()?.Group;
        if (group is null || !group.StartsWith("service:", StringComparison.Ordinal))
        {
            return settings;
        }
        var serviceName = group["service:".Length..];
        var services = await ecs.DescribeServicesAsync(settings.Cluster, [serviceName], timeout.Token);
        if (settings.NetworkConfiguration is null && services.Services?.FirstOrDefault()?.NetworkConfiguration is { } network)
        {
            settings = settings with { NetworkConfiguration = network };
            LogDiscovered(logger, "network configuration", $"service {serviceName}: subnets {string.Join(',', network.AwsvpcConfiguration?.Subnets ?? [])}");
        }
        return settings;
    }

    private static EcsNetworkConfiguration? ToWire(NetworkConfiguration? network) =>
        network?.AwsVpcConfiguration is { } vpc
            ? new EcsNetworkConfiguration(new EcsAwsVpcConfiguration
            {
                Subnets = vpc.Subnets,
                SecurityGroups = vpc.SecurityGroups.Count > 0 ? vpc.SecurityGroups : null,
                AssignPublicIp = vpc.AssignPublicIp,
            })
            : null;

    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning, Message = "failed to fill ECS defaults: {Error}")]
    private static partial void LogDiscoveryFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "ECS {What} discovered: {Value}")]
    private static partial void LogDiscovered(ILogger logger, string what, string value);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "ECS: cluster {Cluster}, launch {Launch}, {Subnets} subnets")]
    private static partial void LogResolved(ILogger logger, string cluster, string launch, int subnets);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "ecs.launch_type {LaunchType} is ignored because ecs.capacity_provider_strategy is set (ECS accepts only one of them)")]
    private static partial void LogLaunchTypeIgnored(ILogger logger, string launchType);
}
