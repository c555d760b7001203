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

    public void Dispose() => _sqs.Dispose();
}
