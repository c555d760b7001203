using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mirage.Aws.Discovery;
using Mirage.Aws.Tests.Moto;
using Mirage.Model.Backend;
using Mirage.Model.Configuration;
using Mirage.TestKit;

namespace Mirage.Aws.Tests.Backend;

/// <summary>
/// Self-discovery (mirage-ecs §4.1) against moto holding the cluster, a service with a network configuration and a
/// task of that service. The task metadata endpoint is a loopback Kestrel serving a v4 <c>/task</c> document: LocalEcs's
/// real endpoint describes LocalEcs's own tasks, whose ARNs moto cannot describe.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class SelfDiscoveryTests(MotoFixture moto) : IAsyncLifetime
{
    private readonly AwsScenario _scenario = new(moto);
    private WebApplication? _metadata;
    private string _metadataUri = "";
    private string _taskArn = "";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _scenario.InitializeAsync(Token);
        await _scenario.Setup.EcsAsync("CreateService", new JsonObject
        {
            ["cluster"] = AwsScenario.Cluster,
            ["serviceName"] = "mirage",
            ["taskDefinition"] = "web",
            ["desiredCount"] = 0,
            ["launchType"] = "FARGATE",
            ["networkConfiguration"] = new JsonObject
            {
                ["awsvpcConfiguration"] = new JsonObject
                {
                    ["subnets"] = new JsonArray(_scenario.Network.Subnet),
                    ["securityGroups"] = new JsonArray(_scenario.Network.SecurityGroup),
                    ["assignPublicIp"] = "DISABLED",
                },
            },
        }, Token);
        _taskArn = await _scenario.RunMirageEcsStyleTaskAsync("self", "main", Token);
        var clusterArn = (await _scenario.TasksAsync(EcsTaskStatus.Running, Token))[0]["clusterArn"]!.GetValue<string>();

        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        _metadata = builder.Build();
        _metadata.MapGet("/v4/self/task", () => Results.Json(new JsonObject { ["Cluster"] = clusterArn, ["TaskARN"] = _taskArn, ["Family"] = "mirage" }));
        await _metadata.StartAsync(Token);
        _metadataUri = $"http://127.0.0.1:{port}/v4/self";
    }

    public async ValueTask DisposeAsync()
    {
        if (_metadata is not null)
        {
            await _metadata.DisposeAsync();
        }
    }

    [Fact]
    public async Task Cluster_and_network_come_from_the_task_metadata_and_the_service()
    {
        // moto keeps no task group, so the proxy reports the one ECS gives a service's task.
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint);
        proxy.SetTaskGroup(_taskArn, "service:mirage");
        await using var mirage = new AwsModeHost(proxy.Endpoint, new MirageConfig { Ecs = new EcsConfig { Region = "us-east-1" } },
            new Dictionary<string, string> { [TaskMetadataClient.V4Variable] = _metadataUri });

        var settings = await mirage.Services.GetRequiredService<EcsSettingsProvider>().GetAsync(Token);

        Assert.EndsWith(":cluster/" + AwsScenario.Cluster, settings.Cluster, StringComparison.Ordinal);
        Assert.Equal("FARGATE", settings.LaunchType);
        Assert.Null(settings.CapacityProviderStrategy);
        Assert.Equal([_scenario.Network.Subnet], settings.NetworkConfiguration!.AwsvpcConfiguration!.Subnets);
        Assert.Equal([_scenario.Network.SecurityGroup], settings.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups);
        Assert.True(settings.EnableExecuteCommand);
        Assert.Equal(1, proxy.Count("DescribeServices"));
        // The backend runs with what was discovered: the adopted-style task is listed in the discovered cluster.
        var listed = await mirage.Services.GetRequiredService<IEcsBackend>().ListTasksAsync(TaskDesiredStatus.Running, Token);
        Assert.Equal(_taskArn, Assert.Single(listed).Arn);
    }

    [Fact]
    public async Task A_configured_network_and_capacity_provider_strategy_are_kept()
    {
        await using var proxy = await FaultProxy.StartAsync(moto.Endpoint);
        proxy.SetTaskGroup(_taskArn, "service:mirage");
        var config = new MirageConfig
        {
            Ecs = new EcsConfig
            {
                Region = "us-east-1",
                CapacityProviderStrategy = [new CapacityProviderStrategyItem("FARGATE_SPOT", 1)],
                NetworkConfiguration = new NetworkConfiguration(new AwsVpcConfiguration { Subnets = ["subnet-configured"] }),
            },
        };
        await using var mirage = new AwsModeHost(proxy.Endpoint, config, new Dictionary<string, string> { [TaskMetadataClient.V4Variable] = _metadataUri });

        var settings = await mirage.Services.GetRequiredService<EcsSettingsProvider>().GetAsync(Token);

        Assert.EndsWith(":cluster/" + AwsScenario.Cluster, settings.Cluster, StringComparison.Ordinal);
        Assert.Null(settings.LaunchType);
        Assert.Equal("FARGATE_SPOT", Assert.Single(settings.CapacityProviderStrategy!).CapacityProvider);
        Assert.Equal(["subnet-configured"], settings.NetworkConfiguration!.AwsvpcConfiguration!.Subnets);
    }

    [Fact]
    public async Task Without_metadata_discovery_is_a_warning_and_a_missing_cluster_a_clear_error()
    {
        await using var withCluster = new AwsModeHost(moto.Endpoint, new MirageConfig { Ecs = new EcsConfig { Region = "us-east-1", Cluster = AwsScenario.Cluster } });
        var settings = await withCluster.Services.GetRequiredService<EcsSettingsProvider>().GetAsync(Token);
        Assert.Equal(AwsScenario.Cluster, settings.Cluster);
        Assert.Equal("FARGATE", settings.LaunchType);
        Assert.Null(settings.NetworkConfiguration);

        await using var withoutCluster = new AwsModeHost(moto.Endpoint, new MirageConfig { Ecs = new EcsConfig { Region = "us-east-1" } });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            withoutCluster.Services.GetRequiredService<IEcsBackend>().ListTasksAsync(TaskDesiredStatus.Running, Token));
        Assert.Contains("set ecs.cluster", error.Message, StringComparison.Ordinal);
    }
}
