using System.Globalization;
using System.Text.Json.Nodes;
using Mirage.TestKit.Aws;

namespace Mirage.Aws.Bench;

/// <summary>What only the benchmark sets up in moto: its cluster and task definition, and ECS events for the queue.</summary>
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

    /// <summary>An ECS Task State Change event for a DescribeTasks entry, as EventBridge puts it on the queue.</summary>
    public static string TaskStateChange(JsonNode task, long version)
    {
        var detail = task.DeepClone().AsObject();
        detail.Remove("tags");
        foreach (var name in new[] { "createdAt", "startedAt", "stoppingAt", "stoppedAt", "pullStartedAt", "pullStoppedAt", "executionStoppedAt" })
        {
            if (detail[name] is JsonValue value && value.TryGetValue<double>(out var seconds))
            {
                detail[name] = Iso(DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)));
            }
        }
        detail["version"] = version;
        detail["updatedAt"] = Iso(TimeProvider.System.GetUtcNow());
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "ECS Task State Change",
            ["source"] = "aws.ecs",
            ["account"] = "123456789012",
            ["time"] = Iso(TimeProvider.System.GetUtcNow()),
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray(detail["taskArn"]!.GetValue<string>()),
            ["detail"] = detail,
        }.ToJsonString();
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
