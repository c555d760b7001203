using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mirage.Aws.Configuration;
using Mirage.Aws.S3;
using Mirage.Aws.Tests.Moto;
using Mirage.Model.Configuration;
using Mirage.Model.Intents;
using Mirage.Model.Links;
using Mirage.Model.Parameters;
using Mirage.Model.Routing;
using Mirage.Reconciler.Hosting;
using Mirage.Reconciler.IntentStore;
using Mirage.Reconciler.Queue;
using Mirage.Reconciler.Reconciling;
using Mirage.Reconciler.Routing;
using Mirage.TestKit;

namespace Mirage.Aws.Tests.Backend;

/// <summary>
/// The server's AWS-mode composition without the HTTP front: the file intent store, the real reconciler service,
/// <c>AddAwsBackend</c> and the lifecycle services (desired-environments file, purge schedule), pointed at
/// <paramref name="endpoint"/> (moto, or a fault proxy before it) through options only. Hosted services are started
/// as the host would, in registration order.
/// </summary>
public sealed class AwsModeHost : IAsyncDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("mirage-aws-mode-").FullName;
    private readonly ServiceProvider _provider;
    private readonly List<IHostedService> _started = [];

    public AwsModeHost(
        Uri endpoint,
        MirageConfig config,
        IReadOnlyDictionary<string, string>? extraEnvironment = null,
        Action<ReconcilerOptions>? reconciler = null,
        Action<AwsOptions>? aws = null,
        RecordedLogs? logs = null)
    {
        Config = config;
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Warning);
            if (logs is not null)
            {
                // Every pass logs its transition at Debug: a test counts passes by it.
                logging.AddProvider(logs);
                logging.AddFilter<RecordedLogs>(typeof(EnvironmentReconciler).FullName, LogLevel.Debug);
                logging.AddFilter<RecordedLogs>(typeof(ReconcilerService).FullName, LogLevel.Debug);
                logging.AddFilter<RecordedLogs>("Mirage.Aws.Events", LogLevel.Debug);
            }
        });
        services.AddSingleton(config);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RouteTablePublisher>();
        services.AddSingleton<IIntentStore>(sp => new FileIntentStore(Path.Combine(_dataDir, "intents"), sp.GetRequiredService<ILogger<FileIntentStore>>()));
        // The same reconciler registration as the server's (src/Api/Hosting/MirageServer.cs).
        services.AddMirageReconciler(o =>
        {
            o.TransitionPollInterval = TimeSpan.FromMilliseconds(200);
            o.ResyncInterval = TimeSpan.FromSeconds(2);
            reconciler?.Invoke(o);
        });
        services.AddAwsBackend(config, options =>
        {
            options.Environment = extraEnvironment is null
                ? AwsClients.Environment(endpoint)
                : AwsClients.Environment(endpoint).Concat(extraEnvironment).ToDictionary();
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            options.RetryMaxDelay = TimeSpan.FromMilliseconds(200);
            aws?.Invoke(options);
        });
        services.AddMirageReconcilerLoop();
        // The desired-environments file and the purge schedule, read through the same sources as the server's.
        services.AddSingleton(LaunchParameterResolver.Create(config.Parameters));
        services.AddSingleton<IConfigSource, FileConfigSource>();
        services.AddSingleton<IConfigSource>(_ => new S3ConfigSource(o => o.Environment = AwsClients.Environment(endpoint)));
        services.AddMirageLifecycle();
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public MirageConfig Config { get; }
    public IServiceProvider Services => _provider;
    public IIntentStore Store => _provider.GetRequiredService<IIntentStore>();
    public RouteTablePublisher Routes => _provider.GetRequiredService<RouteTablePublisher>();

    public static MirageConfig ConfigFor(EcsNetworkSettings network, string hostedZoneId = "", IReadOnlyList<string>? excludeContainers = null) => new()
    {
        Ecs = new EcsConfig
        {
            Region = "us-east-1",
            Cluster = network.Cluster,
            NetworkConfiguration = new NetworkConfiguration(new AwsVpcConfiguration
            {
                Subnets = [network.Subnet],
                SecurityGroups = [network.SecurityGroup],
                AssignPublicIp = "DISABLED",
            }),
        },
        Link = new LinkConfig { HostedZoneId = hostedZoneId, ExcludeContainers = excludeContainers ?? [] },
    };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var service in _provider.GetServices<IHostedService>())
        {
            await service.StartAsync(cancellationToken);
            _started.Add(service);
        }
    }

    public async Task<EnvironmentIntent> LaunchAsync(string subdomain, string branch, params string[] taskDefinitions)
    {
        var now = TimeProvider.System.GetUtcNow();
        var existing = await Store.GetAsync(subdomain, CancellationToken.None);
        return await Store.SaveAsync(new EnvironmentIntent
        {
            Subdomain = subdomain,
            TaskDefinitions = taskDefinitions,
            Parameters = new Dictionary<string, string> { ["branch"] = branch },
            CreatedAt = now,
            UpdatedAt = now,
        }, existing?.Revision ?? 0, CancellationToken.None);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (generous: the machine is shared).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null) =>
        (await Eventually.ReadAsync(probe, value => value is not null, timeout ?? TimeSpan.FromSeconds(60), _ => $"waiting for {what}",
            TestContext.Current.CancellationToken, TimeSpan.FromMilliseconds(100)))!;

    public async ValueTask DisposeAsync()
    {
        foreach (var service in Enumerable.Reverse(_started))
        {
            await service.StopAsync(CancellationToken.None);
        }
        await _provider.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }
}

/// <summary>The cluster and the default VPC network a scenario runs tasks in.</summary>
public sealed record EcsNetworkSettings(string Cluster, string Subnet, string SecurityGroup);
