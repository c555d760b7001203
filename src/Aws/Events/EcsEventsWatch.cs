using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mirage.Aws.Backend;
using Mirage.Aws.Discovery;
using Mirage.Model.Backend;
using Mirage.Model.Leadership;

namespace Mirage.Aws.Events;

/// <summary>
/// The watch half of the informer (<c>ecs.events_queue_url</c>): long-polls the SQS queue an EventBridge rule fills
/// with the cluster's ECS Task State Change events, hands each task change to the task cache (which queues the
/// environment when it is news), and deletes the message. Duplicates and out-of-order events are harmless (the cache
/// keeps the highest <c>version</c>); a malformed or foreign event is logged and deleted; a failing queue is retried
/// with backoff while the periodic resync keeps Mirage correct.
/// </summary>
public sealed partial class EcsEventsWatch(
    IAmazonSQS sqs,
    string queueUrl,
    AwsEcsBackend backend,
    EcsSettingsProvider settings,
    ITaskChangeSink sink,
    ILeadership leadership,
    TimeProvider time,
    ILogger<EcsEventsWatch> logger) : BackgroundService
{
    // How often a follower looks whether it leads now; only the leader takes messages off the shared queue.
    private static readonly TimeSpan FollowerCheck = TimeSpan.FromSeconds(1);

    /// <summary>SQS's longest wait for a message: one receive a 20 s when nothing happens, and no ECS call at all.</summary>
    public static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(20);

    public const string TaskStateChange = "ECS Task State Change";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!leadership.IsLeader)
                {
                    await Task.Delay(FollowerCheck, time, stoppingToken);
                    continue;
                }
                var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = queueUrl,
                    MaxNumberOfMessages = 10,
                    WaitTimeSeconds = (int)LongPoll.TotalSeconds,
                }, stoppingToken);
                failures = 0;
                var done = new List<Message>();
                foreach (var message in received.Messages ?? [])
                {
                    if (await HandleAsync(message, stoppingToken))
                    {
                        done.Add(message);
                    }
                }
                await DeleteAsync(done, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - 1), MaxBackoff.TotalSeconds));
                LogQueueFailed(queueUrl, delay, e.Message);
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Applies one message; false to leave it on the queue (it comes back after its visibility timeout).</summary>
    private async Task<bool> HandleAsync(Message message, CancellationToken cancellationToken)
    {
        EcsTaskStateChange detail;
        try
        {
            var envelope = JsonSerializer.Deserialize(message.Body ?? "", EcsEventJsonContext.Default.EcsEventEnvelope);
            if (envelope?.DetailType != TaskStateChange || envelope.Source != "aws.ecs" || envelope.Detail is not { TaskArn.Length: > 0 } found)
            {
                LogMalformed(message.MessageId, $"not an ECS \"{TaskStateChange}\" event with a taskArn (detail-type {envelope?.DetailType ?? "missing"})");
                return true;
            }
            detail = found;
        }
        catch (JsonException e)
        {
            LogMalformed(message.MessageId, $"not JSON an event can be read from: {e.Message}");
            return true;
        }
        var cluster = (await settings.GetAsync(cancellationToken)).Cluster;
        if (detail.ClusterArn is { } clusterArn && clusterArn != cluster && !clusterArn.EndsWith("/" + cluster, StringComparison.Ordinal))
        {
            LogOtherCluster(message.MessageId, clusterArn);
            return true;
        }
        try
        {
            var task = await backend.ObserveAsync(detail.ToTask(), cancellationToken);
            var news = await sink.ApplyAsync(task, cancellationToken);
            LogApplied(task.Arn, task.LastStatus, detail.Version, news);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogApplyFailed(message.MessageId, detail.TaskArn!, e.Message);
            return false;
        }
    }

    private async Task DeleteAsync(List<Message> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }
        var response = await sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest
        {
            QueueUrl = queueUrl,
            Entries = [.. messages.Select((m, i) => new DeleteMessageBatchRequestEntry($"m{i}", m.ReceiptHandle))],
        }, cancellationToken);
        foreach (var failed in response.Failed ?? [])
        {
            LogDeleteFailed(failed.Id, failed.Message);
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "ECS events queue {QueueUrl} failed ({Error}); trying again in {Delay} (the resync keeps environments right meanwhile)")]
    private partial void LogQueueFailed(string queueUrl, TimeSpan delay, string error);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "ECS events queue: message {MessageId} skipped and deleted: {Reason}")]
    private partial void LogMalformed(string messageId, string reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "ECS events queue: message {MessageId} is about cluster {ClusterArn}, not Mirage's; deleted")]
    private partial void LogOtherCluster(string messageId, string clusterArn);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "ECS event: task {TaskArn} {LastStatus} (version {Version}); news: {News}")]
    private partial void LogApplied(string taskArn, string lastStatus, long? version, bool news);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "ECS events queue: message {MessageId} about task {TaskArn} could not be applied ({Error}); it stays on the queue")]
    private partial void LogApplyFailed(string messageId, string taskArn, string error);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "ECS events queue: message {MessageId} could not be deleted: {Error}")]
    private partial void LogDeleteFailed(string messageId, string error);
}
