namespace Mirage.Aws.Logs;

/// <param name="StartFromHead">Oldest events first; otherwise CloudWatch starts from the most recent window.</param>
/// <param name="Limit">Events per page (CloudWatch caps a page at 10 000 events or 1 MB).</param>
/// <param name="MaxEvents">Stop after this many events in total.</param>
public sealed record LogEventsQuery(
    string LogGroupName,
    string LogStreamName,
    DateTimeOffset? StartTime = null,
    DateTimeOffset? EndTime = null,
    bool StartFromHead = true,
    int? Limit = null,
    int MaxEvents = 100_000);
