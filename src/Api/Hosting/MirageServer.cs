using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mirage.Api.AccessLog;
using Mirage.Api.CommandLine;
using Mirage.Api.Environments;
using Mirage.Api.Health;
using Mirage.Api.MirageEcsApi;
using Mirage.Api.Telemetry;
using Mirage.Api.Web;
using Mirage.Aws;
using Mirage.Edge.Hosting;
using Mirage.LocalEcs;
using Mirage.Model.Configuration;
using Mirage.Model.Intents;
using Mirage.Model.Leadership;
using Mirage.Model.Links;
using Mirage.Model.Parameters;
using Mirage.Model.Routing;
using Mirage.Reconciler.Hosting;
using Mirage.Reconciler.IntentStore;
using Mirage.Reconciler.Leadership;
using Mirage.Reconciler.Queue;
using Mirage.Reconciler.Reconciling;
using Mirage.Reconciler.Routing;

namespace Mirage.Api.Hosting;

/// <summary>The composition root of the server: Edge listeners, the API and UI, the reconciler and a backend.</summary>
public static partial class MirageServer
{
    public static async Task<int> RunAsync(CommandLineOptions options, ConfigLoadResult loaded, CancellationToken cancellationToken)
    {
        // Local tasks and file intents live in data_dir; in AWS mode with S3 intents it holds nothing to share.
        DataDirectoryLock? dataDirLock = null;
        if (options.Local || loaded.Config.Intents.Length == 0)
        {
            (dataDirLock, var refusal) = DataDirectoryLock.TryAcquire(loaded.Config.Local.DataDir);
            if (refusal is not null)
            {
                await Console.Error.WriteLineAsync($"mirage: {refusal}");
                return 1;
            }
        }
        using var heldForTheProcessLife = dataDirLock;
        await using var app = Build(options, loaded, []);
        try
        {
            await app.RunAsync(cancellationToken);
            return 0;
        }
        catch (OptionsValidationException e)
        {
            // A setting that cannot work: one line that says what to fix, not a stack trace.
            await Console.Error.WriteLineAsync($"mirage: {string.Join("; ", e.Failures)}");
            return 1;
        }
        catch (Exception e) when (ListenFailure.Describe(e, loaded.Config.Listen) is { } failure)
        {
            await Console.Error.WriteLineAsync($"mirage: {failure}");
            return 1;
        }
    }

    /// <summary>Builds the server; <paramref name="args"/> lets tests add host settings (e.g. a content root).</summary>
    public static WebApplication Build(CommandLineOptions options, ConfigLoadResult loaded, string[] args)
    {
        var config = loaded.Config;
        var builder = WebApplication.CreateSlimBuilder(args);
        ConfigureLogging(builder.Logging, options);
        // Mirage speaks plain HTTP (TLS ends at the ALB); Kestrel cannot offer h2c next to HTTP/1.1 on one port.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEdgeListeners(config, HttpProtocols.Http1));

        var services = builder.Services;
        services.AddSingleton(config);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new ApiBehaviour(options.CompatV1));
        services.AddSingleton<RouteTablePublisher>();

        // Desired state and the reconciler.
        services.AddSingleton<IIntentStore>(sp => new FileIntentStore(
            Path.Combine(config.Local.DataDir, "intents"), sp.GetRequiredService<ILogger<FileIntentStore>>()));
        services.AddMirageReconciler(o =>
        {
            o.CompatV1 = options.CompatV1;
            // Local tasks start in well under a second; look often while they do.
            o.TransitionPollInterval = options.Local ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(3);
            // With the ECS events queue watched, changes arrive within seconds and the full listing is a safety net.
            o.ResyncInterval = options.Local ? TimeSpan.FromSeconds(10)
                : config.Ecs.EventsQueueUrl.Length > 0 ? TimeSpan.FromMinutes(5)
                : TimeSpan.FromSeconds(30);
        });

        // The backend: LocalEcs, or ECS with Route53 links, CloudWatch counts and S3 intents/htmldir.
        services.AddSingleton<IHtmlDirResolver, LocalHtmlDirResolver>();
        if (!options.Local)
        {
            services.AddAwsBackend(config);
        }
        else
        {
            services.AddLocalEcs(o =>
            {
                o.TaskDefinitionsFolder = config.Local.TaskDefinitions.Length > 0
                    ? config.Local.TaskDefinitions
                    : Path.Combine(AppContext.BaseDirectory, "task-definitions");
                o.StateFolder = Path.Combine(config.Local.DataDir, "localecs");
                o.DockerHost = Mirage.LocalEcs.Docker.DockerEngineClient.DefaultHost();
                o.Runtime = Mirage.LocalEcs.Runtimes.LocalRuntimeSelection.Resolve(config.Local.Runtime, config.Local.TaskDefinitions.Length == 0);
                // The demo task definition runs this very executable (`mirage demo-app`).
                o.ExtraEnvironment["MIRAGE_EXECUTABLE"] = Path.Combine(AppContext.BaseDirectory, "mirage");
            });
        }

        // Several replicas: a lease decides which one runs the reconciler, GitOps and the purge schedule.
        var identity = ReplicaIdentity.ForThisProcess(config.Listen.Http[0].Listen);
        services.Replace(ServiceDescriptor.Singleton(identity));
        if (!options.Local && config.Cluster.Enabled)
        {
            services.AddMirageLeaseElection(identity, new LeaseOptions(config.Cluster.LeaseDuration, config.Cluster.RenewInterval));
        }
        services.AddMirageReconcilerLoop();

        // The Edge, then the API and UI behind it.
        services.AddMirageEdge(config, o => o.AnyTargetPort = options.Local);
        services.AddMirageAuth(o =>
        {
            if (builder.Configuration[AuthServiceCollectionExtensions.TestKeyEndpointSetting] is { Length: > 0 } endpoint)
            {
                // Not a Uri constructor: a malformed value must reach the start-up validation, not throw here.
                o.PublicKeyEndpoint = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri : new Uri("invalid:" + Uri.EscapeDataString(endpoint));
            }
        });
        services.AddSingleton(LaunchParameterResolver.Create(config.Parameters));
        services.AddSingleton<EnvironmentService>();
        services.AddSingleton<TaskRows>();
        services.AddMirageOpenApi();
        services.AddSingleton<EnvironmentWaiter>();
        services.AddMirageWebUi(config, options.Local);
        // Where the desired-environments file may live: a path, or s3:// (the S3 client is built on first use).
        services.AddSingleton<IConfigSource, FileConfigSource>();
        services.AddSingleton<IConfigSource, Mirage.Aws.S3.S3ConfigSource>(_ => new Mirage.Aws.S3.S3ConfigSource());
        services.AddMirageLifecycle();
        services.AddSingleton(new AccessLogOutput(Console.Out));
        services.AddMirageHealth();
        services.AddMirageTelemetry(builder.Configuration);

        var app = builder.Build();
        foreach (var warning in loaded.Warnings)
        {
            LogConfigWarning(app.Logger, warning.ToString());
        }
        foreach (var warning in options.Warnings)
        {
            LogConfigWarning(app.Logger, warning);
        }
        if (options.Local && config.Cluster.Enabled)
        {
            LogConfigWarning(app.Logger, "cluster.lease_table is not used in local mode: one process runs everything");
        }
        if (builder.Configuration[AuthServiceCollectionExtensions.TestKeyEndpointSetting] is { Length: > 0 } keyEndpoint)
        {
            // Whoever can set this decides which keys sign valid logins: it must never go unnoticed in production.
            LogTestKeyEndpoint(app.Logger, AuthServiceCollectionExtensions.TestKeyEndpointSetting, keyEndpoint);
        }
        app.UseMirageEdge();
        app.UseMirageTracing();
        if (config.AccessLog)
        {
            // Behind the Edge (proxied requests never reach it), outside the exception handler (it logs the final status).
            app.UseMiddleware<AccessLogMiddleware>();
        }
        // Before sign-in: probes carry no credentials.
        app.UseMirageHealth();
        app.UseMirageMetricsEndpoint(builder.Configuration);
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ApiFailureHandler.WriteAsync });
        app.UseRouting();
        app.UseMirageAuth();
        app.MapMirageEcsApi();
        app.MapMirageOpenApi();
        app.MapMirageWebUi();
        app.Lifetime.ApplicationStarted.Register(() => LogListening(app.Logger, config.Host.WebApi, config.Listen.Http[0].Listen));
        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, CommandLineOptions options)
    {
        logging.ClearProviders();
        if (options.LogFormat == LogFormat.Json)
        {
            logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
        logging.SetMinimumLevel(options.LogLevel);
        // ASP.NET's per-request logs would drown Mirage's own at info.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        logging.AddFilter("Yarp", LogLevel.Warning);
    }

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Setting} is set: ALB OIDC keys are fetched from {Endpoint}, not from AWS (meant for tests only)")]
    private static partial void LogTestKeyEndpoint(ILogger logger, string setting, string endpoint);

    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "config: {Warning}")]
    private static partial void LogConfigWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Mirage is serving; the web UI and API are at http://{WebApi}:{Port}/")]
    private static partial void LogListening(ILogger logger, string webApi, int port);
}
