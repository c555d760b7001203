using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mirage.Aws.Credentials;
using Mirage.Aws.Ecs;

namespace Mirage.Aws.Tests.Configuration;

public sealed class AddMirageAwsTests
{
    private static IHost Host(Action<Mirage.Aws.Configuration.AwsOptions> configure)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMirageAws(configure);
        return builder.Build();
    }

    [Fact]
    public async Task Bad_options_stop_the_host_at_start_with_messages_that_say_what_to_fix()
    {
        using var host = Host(o =>
        {
            o.Environment = new Dictionary<string, string> { ["AWS_REGION"] = "not a region", ["AWS_ENDPOINT_URL_ECS"] = "localhost:4566" };
            o.MaxRetryAttempts = -1;
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(error.Failures, f => f.Contains("not a region", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("AWS_ENDPOINT_URL_ECS='localhost:4566' is not an absolute http(s) URL", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("retry attempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Good_options_start_and_the_clients_resolve()
    {
        using var host = Host(o => o.Environment = new Dictionary<string, string>
        {
            ["AWS_REGION"] = "eu-central-1",
            ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "secret",
            ["AWS_SESSION_TOKEN"] = "session",
        });

        await host.StartAsync(TestContext.Current.CancellationToken);
        var ecs = host.Services.GetRequiredService<EcsClient>();
        var credentials = await host.Services.GetRequiredService<IAwsCredentialsSource>().GetAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new Uri("https://ecs.eu-central-1.amazonaws.com"), ecs.Endpoint.Url);
        Assert.Equal(new("AKIDEXAMPLE", "secret", "session"), credentials);
    }
}
