using System.Text.Json.Nodes;
using Mirage.TestKit.Aws;

namespace Mirage.Aws.Bench;

/// <summary>What only the benchmark sets up in moto: its cluster and task definition.</summary>
public static class BenchMoto
{
    /// <summary>The cluster <c>mirage</c> and the FARGATE task definition <c>web</c> (one container on port 80); answers the default network.</summary>
    public static async Task<(string Subnet, string SecurityGroup)> SetUpClusterAsync(this MotoCalls calls)
    {
        await calls.EcsAsync("CreateCluster", new JsonObject { ["clusterName"] = "mirage" });
        await calls.EcsAsync("RegisterTaskDefinition", JsonNode.Parse("""
            {"family":"web","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
             "containerDefinitions":[{"name":"app","image":"nginx","memory":256,"essential":true,"portMappings":[{"containerPort":80,"hostPort":80,"protocol":"tcp"}]}]}
            """)!.AsObject());
        return await calls.DefaultNetworkAsync();
    }
}
