using Mirage.Aws.Endpoints;
using Mirage.Aws.Logs.Wire;
using Mirage.Aws.Transport;

namespace Mirage.Aws.Logs;

/// <summary>CloudWatch Logs GetLogEvents over awsJson1.1, paged forward until the token stops moving.</summary>
public sealed class CloudWatchLogsClient(HttpClient httpClient, AwsClientContext context)
{
    public const string TargetPrefix = "Logs_20140328";

    private readonly AwsServiceCaller _caller = new(httpClient, context, AwsService.CloudWatchLogs);

    /// <summary>One page, as the API returns it.</summary>
    public async Task<GetLogEventsResponse> GetLogEventsPageAsync(GetLogEventsRequest request, CancellationToken cancellationToken)
    {
        var response = await _caller.SendAsync("GetLogEvents", () => AwsJsonProtocol.Request(TargetPrefix, "GetLogEvents", request, LogsJsonContext.Default.GetLogEventsRequest), retryable: true, cancellationToken);
        return AwsJsonProtocol.Read(response, LogsJsonContext.Default.GetLogEventsResponse, "CloudWatchLogs", "GetLogEvents");
    }

    /// <summary>
    /// Every event of the stream in the window, following nextForwardToken; the end of the stream is the page whose
    /// forward token equals the one sent.
    /// </summary>
    public async Task<IReadOnlyList<LogEvent>> GetLogEventsAsync(LogEventsQuery query, CancellationToken cancellationToken)
    {
        var events = new List<LogEvent>();
        var request = new GetLogEventsRequest
        {
            LogGroupName = query.LogGroupName,
            LogStreamName = query.LogStreamName,
            StartTime = query.StartTime?.ToUnixTimeMilliseconds(),
            EndTime = query.EndTime?.ToUnixTimeMilliseconds(),
            StartFromHead = query.StartFromHead,
            Limit = query.Limit,
        };
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        while (events.Count < query.MaxEvents)
        {
            var page = await GetLogEventsPageAsync(request, cancellationToken);
            foreach (var e in page.Events ?? [])
            {
                events.Add(new LogEvent(DateTimeOffset.FromUnixTimeMilliseconds(e.Timestamp ?? 0), e.Message ?? ""));
            }
            var next = page.NextForwardToken;
            if (next is null || next == request.NextToken || !seenTokens.Add(next))
            {
                break;
            }
            request = request with { NextToken = next };
        }
        return events.Count > query.MaxEvents ? events[..query.MaxEvents] : events;
    }
}
