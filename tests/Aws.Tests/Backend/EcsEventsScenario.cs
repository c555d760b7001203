using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Mirage.Aws.Tests.Moto;

namespace Mirage.Aws.Tests.Backend;

/// <summary>
/// An SQS queue in moto standing in for the one the EventBridge rule fills, and ECS "Task State Change" events shaped
/// as EventBridge delivers them (detail = the task as DescribeTasks shows it, no tags, ISO 8601 times, a version).
/// </summary>
public sealed class EcsEventsScenario(MotoFixture moto) : IDisposable
{
    private readonly AmazonSQSClient _sqs = new(new BasicAWSCredentials("testing", "testing"), new AmazonSQSConfig
    {
        ServiceURL = moto.Endpoint.ToString(),
        AuthenticationRegion = "us-east-1",
    });

    public string QueueUrl { get; private set; } = "";

    public async Task CreateQueueAsync(CancellationToken cancellationToken) =>
        QueueUrl = (await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "mirage-ecs-events-" + Guid.NewGuid().ToString("N")[..8] }, cancellationToken)).QueueUrl;

    public Task SendAsync(string body, CancellationToken cancellationToken) =>
        _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = QueueUrl, MessageBody = body }, cancellationToken);

    /// <summary>Messages still on the queue (visible or being handled).</summary>
    public async Task<int> PendingAsync(CancellationToken cancellationToken)
    {
        var attributes = await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = QueueUrl,
            AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }, cancellationToken);
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }

    /// <summary>The EventBridge event for <paramref name="task"/> (a DescribeTasks entry) at <paramref name="version"/>.</summary>
    public static string TaskStateChange(JsonNode task, long version)
    {
        var detail = task.DeepClone().AsObject();
        detail.Remove("tags");
        foreach (var name in new[] { "createdAt", "startedAt", "stoppingAt", "stoppedAt", "pullStartedAt", "pullStoppedAt", "executionStoppedAt", "connectivityAt" })
        {
            if (detail[name] is JsonValue value && value.TryGetValue<double>(out var seconds))
            {
                detail[name] = Iso(DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)));
            }
        }
        detail["version"] = version;
        detail["updatedAt"] = Iso(DateTimeOffset.UtcNow);
        var arn = detail["taskArn"]!.GetValue<string>();
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "ECS Task State Change",
            ["source"] = "aws.ecs",
            ["account"] = "123456789012",
            ["time"] = Iso(DateTimeOffset.UtcNow),
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray(arn),
            ["detail"] = detail,
        }.ToJsonString();
    }

    public void Dispose() => _sqs.Dispose();

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
