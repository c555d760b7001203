namespace Mirage.Aws.Logs.Wire;

// GetLogEvents of CloudWatch Logs (awsJson1.1, Logs_20140328); times are epoch milliseconds.

public sealed record GetLogEventsRequest
{
    public required string LogGroupName { get; init; }
    public required string LogStreamName { get; init; }
    public long? StartTime { get; init; }
    public long? EndTime { get; init; }
    public string? NextToken { get; init; }
    public int? Limit { get; init; }
    public bool? StartFromHead { get; init; }
}

public sealed record GetLogEventsResponse(IReadOnlyList<OutputLogEvent>? Events, string? NextForwardToken, string? NextBackwardToken);

public sealed record OutputLogEvent(long? Timestamp, string? Message, long? IngestionTime);
