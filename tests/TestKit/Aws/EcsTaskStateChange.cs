using System.Globalization;
using System.Text.Json.Nodes;

namespace Mirage.TestKit.Aws;

/// <summary>The EventBridge "ECS Task State Change" event for a DescribeTasks entry, as it lands on Mirage's queue.</summary>
public static class EcsTaskStateChange
{
    private static readonly string[] Timestamps =
        ["createdAt", "startedAt", "stoppingAt", "stoppedAt", "pullStartedAt", "pullStoppedAt", "executionStoppedAt", "connectivityAt"];

    /// <param name="task">A task as DescribeTasks answers it (epoch-second timestamps; EventBridge writes ISO 8601).</param>
    /// <param name="version">The event's task version: Mirage ignores an event older than what it has seen.</param>
    public static string For(JsonNode task, long version)
    {
        var now = TimeProvider.System.GetUtcNow();
        var detail = task.DeepClone().AsObject();
        detail.Remove("tags");
        foreach (var name in Timestamps)
        {
            if (detail[name] is JsonValue value && value.TryGetValue<double>(out var seconds))
            {
                detail[name] = Iso(DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)));
            }
        }
        detail["version"] = version;
        detail["updatedAt"] = Iso(now);
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "ECS Task State Change",
            ["source"] = "aws.ecs",
            ["account"] = "123456789012",
            ["time"] = Iso(now),
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray(detail["taskArn"]!.GetValue<string>()),
            ["detail"] = detail,
        }.ToJsonString();
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
