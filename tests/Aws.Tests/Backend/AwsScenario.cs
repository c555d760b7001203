using System.Text.Json.Nodes;
using Mirage.Aws.Tests.Moto;

namespace Mirage.Aws.Tests.Backend;

/// <summary>A fresh moto with a cluster, the "web" task definition (app:80, sidecar:8080), the default network and a hosted zone.</summary>
public sealed class AwsScenario(MotoFixture moto)
{
    public const string Cluster = "mirage";
    public const string ZoneName = "mirage.example.com.";

    public MotoFixture Moto => moto;
    public MotoSetup Setup { get; } = new(moto);
    public string TaskDefinitionArn { get; private set; } = "";
    public string ZoneId { get; private set; } = "";
    public EcsNetworkSettings Network { get; private set; } = null!;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await moto.ResetAsync(cancellationToken);
        await Setup.EcsAsync("CreateCluster", new JsonObject { ["clusterName"] = Cluster }, cancellationToken);
        TaskDefinitionArn = await Setup.RegisterTaskDefinitionAsync("web", cancellationToken, ("app", 80), ("sidecar", 8080));
        var (subnet, group) = await Setup.DefaultNetworkAsync(cancellationToken);
        Network = new EcsNetworkSettings(Cluster, subnet, group);
        ZoneId = await Setup.CreateHostedZoneAsync(ZoneName, cancellationToken);
    }

    /// <summary>Every task of the cluster with that desired status, described (with tags).</summary>
    public async Task<IReadOnlyList<JsonNode>> TasksAsync(string desiredStatus, CancellationToken cancellationToken)
    {
        var arns = (await Setup.EcsAsync("ListTasks", new JsonObject { ["cluster"] = Cluster, ["desiredStatus"] = desiredStatus }, cancellationToken))["taskArns"]!.AsArray();
        if (arns.Count == 0)
        {
            return [];
        }
        var described = await Setup.EcsAsync("DescribeTasks", new JsonObject
        {
            ["cluster"] = Cluster,
            ["tasks"] = new JsonArray([.. arns.Select(a => (JsonNode)a!.GetValue<string>())]),
            ["include"] = new JsonArray("TAGS"),
        }, cancellationToken);
        return [.. described["tasks"]!.AsArray().Select(t => t!)];
    }

    /// <summary>Starts a task the way mirage-ecs does: tags only, no startedBy, no Mirage revision tags.</summary>
    public async Task<string> RunMirageEcsStyleTaskAsync(string subdomain, string branch, CancellationToken cancellationToken)
    {
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(subdomain)).Replace('+', '-').Replace('/', '_');
        var response = await Setup.EcsAsync("RunTask", new JsonObject
        {
            ["cluster"] = Cluster,
            ["taskDefinition"] = "web",
            ["launchType"] = "FARGATE",
            ["networkConfiguration"] = new JsonObject
            {
                ["awsvpcConfiguration"] = new JsonObject
                {
                    ["subnets"] = new JsonArray(Network.Subnet),
                    ["securityGroups"] = new JsonArray(Network.SecurityGroup),
                },
            },
            ["tags"] = new JsonArray(
                new JsonObject { ["key"] = "Subdomain", ["value"] = encoded },
                new JsonObject { ["key"] = "ManagedBy", ["value"] = "Mirage" },
                new JsonObject { ["key"] = "branch", ["value"] = branch }),
            ["overrides"] = new JsonObject
            {
                ["containerOverrides"] = new JsonArray(new JsonObject
                {
                    ["name"] = "app",
                    ["environment"] = new JsonArray(new JsonObject { ["name"] = "GIT_BRANCH", ["value"] = branch }),
                }),
            },
        }, cancellationToken);
        return response["tasks"]![0]!["taskArn"]!.GetValue<string>();
    }
}
