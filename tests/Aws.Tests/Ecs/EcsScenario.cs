using System.Text.Json.Nodes;
using Mirage.Aws.Ecs.Wire;
using Mirage.Aws.Tests.Moto;

namespace Mirage.Aws.Tests.Ecs;

/// <summary>A fresh moto with a cluster, a two-container task definition and the default VPC's network.</summary>
public sealed class EcsScenario(MotoFixture moto) : IAsyncLifetime
{
    public const string Cluster = "mirage-test";

    public MotoFixture Moto => moto;
    public MotoSetup Setup { get; } = new(moto);
    public string TaskDefinitionArn { get; private set; } = "";
    public EcsNetworkConfiguration Network { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await moto.ResetAsync(CancellationToken.None);
        await Setup.EcsAsync("CreateCluster", new JsonObject { ["clusterName"] = Cluster }, CancellationToken.None);
        TaskDefinitionArn = await Setup.RegisterTaskDefinitionAsync("web", CancellationToken.None, ("app", 80), ("sidecar", 8080));
        var (subnet, group) = await Setup.DefaultNetworkAsync(CancellationToken.None);
        Network = new EcsNetworkConfiguration(new EcsAwsVpcConfiguration { Subnets = [subnet], SecurityGroups = [group], AssignPublicIp = "DISABLED" });
    }

    public RunTaskRequest RunRequest(string startedBy, string? clientToken = null, params EcsResourceTag[] tags) => new()
    {
        Cluster = Cluster,
        TaskDefinition = "web",
        LaunchType = "FARGATE",
        NetworkConfiguration = Network,
        StartedBy = startedBy,
        ClientToken = clientToken,
        Tags = [new EcsResourceTag("ManagedBy", "Mirage"), .. tags],
        Overrides = new EcsTaskOverride
        {
            ContainerOverrides =
            [
                new EcsContainerOverride { Name = "app", Environment = [new EcsKeyValuePair("SUBDOMAIN", "feature-x"), new EcsKeyValuePair("GIT_BRANCH", "feature/x")] },
                new EcsContainerOverride { Name = "sidecar", Environment = [new EcsKeyValuePair("SUBDOMAIN", "feature-x")] },
            ],
        },
    };

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
