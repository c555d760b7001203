using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mirage.LocalEcs.Credentials;
using Mirage.LocalEcs.Docker;
using Mirage.LocalEcs.Runtimes;
using Mirage.LocalEcs.Endpoints;
using Mirage.LocalEcs.TaskDefinitions;
using Mirage.LocalEcs.Tasks;
using Mirage.Model.Backend;
using Mirage.Model.Configuration;

namespace Mirage.LocalEcs;

public static class LocalEcsServiceCollectionExtensions
{
    /// <summary>
    /// Registers LocalEcs as the <see cref="IEcsBackend"/>, its endpoint listener as a hosted service (it also
    /// re-attaches journaled tasks at start), and validates <see cref="LocalEcsOptions"/> at start.
    /// <c>STS</c> endpoint defaults from <c>AWS_ENDPOINT_URL_STS</c>, then <c>AWS_ENDPOINT_URL</c>.
    /// </summary>
    public static IServiceCollection AddLocalEcs(this IServiceCollection services, Action<LocalEcsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<LocalEcsOptions>()
            .Configure(options =>
            {
                options.StsServiceUrl = NonEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_STS"))
                    ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"));
                configure(options);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalEcsOptions>, LocalEcsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TaskDefinitionCatalog>();
        services.TryAddSingleton<LocalTaskRegistry>();
        services.TryAddSingleton<MetadataBuilder>();
        // The one engine client: the docker runtime, its stats and the auto selection share it.
        services.TryAddSingleton(sp => new DockerEngineClient(sp.GetRequiredService<IOptions<LocalEcsOptions>>().Value.DockerHost));
        services.TryAddSingleton<LocalRuntimeChoice>();
        services.TryAddSingleton(sp => new StatsSampler(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<DockerEngineClient>(), sp.GetRequiredService<LocalRuntimeChoice>()));
        services.TryAddSingleton<TaskCredentialsProvider>();
        services.TryAddSingleton<LocalEcsEndpointServices>();
        services.TryAddSingleton<LocalEcsEndpointServer>();
        services.TryAddSingleton<ILocalEcsEndpointAddress>(sp => sp.GetRequiredService<LocalEcsEndpointServer>());
        services.TryAddSingleton<LocalEcsBackend>();
        services.TryAddSingleton<IEcsBackend>(sp => sp.GetRequiredService<LocalEcsBackend>());
        // First: the endpoints and the journal need the runtime.
        services.AddHostedService<LocalRuntimeSelector>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalEcsEndpointServer>());
        services.AddHostedService<LocalEcsStartup>();
        return services;
    }

    /// <summary>
    /// Same, from the config file's <c>local</c> section: <c>task_definitions</c> is the task definitions folder and
    /// the state lives in <c>{data_dir}/localecs</c>; <paramref name="configure"/> can change the rest.
    /// </summary>
    public static IServiceCollection AddLocalEcs(this IServiceCollection services, LocalConfig local, Action<LocalEcsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        return services.AddLocalEcs(options =>
        {
            options.TaskDefinitionsFolder = local.TaskDefinitions;
            options.StateFolder = Path.Combine(local.DataDir, "localecs");
            options.DockerHost = DockerEngineClient.DefaultHost();
            options.Runtime = LocalRuntimeSelection.Resolve(local.Runtime, builtInTaskDefinitions: false);
            configure?.Invoke(options);
        });
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
