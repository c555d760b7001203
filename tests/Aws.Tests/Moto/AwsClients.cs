using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mirage.Aws.CloudWatch;
using Mirage.Aws.Configuration;
using Mirage.Aws.Ecs;
using Mirage.Aws.Logs;
using Mirage.Aws.Route53;
using Mirage.Aws.S3;

namespace Mirage.Aws.Tests.Moto;

/// <summary>The clients as the app composes them (AddMirageAws), pointed at <paramref name="endpoint"/> through options only.</summary>
public sealed class AwsClients(Uri endpoint, Action<AwsOptions>? tune = null) : IAsyncDisposable
{
    private readonly ServiceProvider _provider = Build(endpoint, tune);

    public IServiceProvider Services => _provider;
    public EcsClient Ecs => _provider.GetRequiredService<EcsClient>();
    public CloudWatchClient CloudWatch => _provider.GetRequiredService<CloudWatchClient>();
    public CloudWatchLogsClient Logs => _provider.GetRequiredService<CloudWatchLogsClient>();
    public Route53Client Route53 => _provider.GetRequiredService<Route53Client>();
    public S3ObjectStore S3 => _provider.GetRequiredService<S3ObjectStore>();

    public static IReadOnlyDictionary<string, string> Environment(Uri endpoint) => new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ENDPOINT_URL"] = endpoint.ToString().TrimEnd('/'),
    };

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    private static ServiceProvider Build(Uri endpoint, Action<AwsOptions>? tune)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddMirageAws(options =>
        {
            options.Environment = Environment(endpoint);
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            options.RetryMaxDelay = TimeSpan.FromMilliseconds(200);
            options.AttemptTimeout = TimeSpan.FromSeconds(30);
            tune?.Invoke(options);
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
