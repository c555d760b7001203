using System.Globalization;
using System.Text;
using Mirage.Aws.Endpoints;
using Mirage.Aws.Transport;
using static Mirage.Aws.Transport.AwsQueryProtocol;

namespace Mirage.Aws.CloudWatch;

/// <summary>CloudWatch metrics over awsQuery (Version 2010-08-01), which real CloudWatch and moto 5.1.1 both speak.</summary>
public sealed class CloudWatchClient(HttpClient httpClient, AwsClientContext context)
{
    private const string Version = "2010-08-01";
    private const int MaxPages = 1000;

    private readonly AwsServiceCaller _caller = new(httpClient, context, AwsService.CloudWatch);

    /// <summary>Sends the data in as many requests as the API limits need; returns how many requests were made.</summary>
    public async Task<int> PutMetricDataAsync(string metricNamespace, IReadOnlyList<MetricDatum> data, CancellationToken cancellationToken)
    {
        var bodies = PutMetricDataBatches.Build(metricNamespace, data);
        foreach (var body in bodies)
        {
            await _caller.SendAsync("PutMetricData", () => Request(body), retryable: true, cancellationToken);
        }
        return bodies.Count;
    }

    /// <summary>Runs the queries over [start, end), following NextToken, and merges each query's pages (oldest first).</summary>
    public async Task<IReadOnlyList<MetricDataResult>> GetMetricDataAsync(
        IReadOnlyList<MetricDataQuery> queries, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var merged = new Dictionary<string, (string? Label, string? Status, List<(DateTimeOffset At, double Value)> Points)>(StringComparer.Ordinal);
        string? nextToken = null;
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 0; page < MaxPages; page++)
        {
            var body = EncodeGetMetricData(queries, start, end, nextToken);
            var response = await _caller.SendAsync("GetMetricData", () => Request(body), retryable: true, cancellationToken);
            var document = ReadXml(response, "CloudWatch", "GetMetricData");
            var result = document.Descendant("GetMetricDataResult");
            foreach (var member in result.Child("MetricDataResults").Children("member"))
            {
                var id = member.ChildValue("Id") ?? "";
                var timestamps = member.Child("Timestamps").Children("member").Select(t => DateTimeOffset.Parse(t.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)).ToList();
                var values = member.Child("Values").Children("member").Select(v => double.Parse(v.Value, CultureInfo.InvariantCulture)).ToList();
                if (!merged.TryGetValue(id, out var series))
                {
                    series = (member.ChildValue("Label"), member.ChildValue("StatusCode"), []);
                    merged[id] = series;
                }
                else
                {
                    merged[id] = series with { Status = member.ChildValue("StatusCode") ?? series.Status };
                }
                series.Points.AddRange(timestamps.Zip(values));
            }
            nextToken = result.ChildValue("NextToken");
            if (string.IsNullOrEmpty(nextToken) || !seenTokens.Add(nextToken))
            {
                break;
            }
        }
        return [.. merged.Select(kv =>
        {
            var points = kv.Value.Points.OrderBy(p => p.At).ToList();
            return new MetricDataResult(kv.Key, kv.Value.Label, kv.Value.Status, [.. points.Select(p => p.At)], [.. points.Select(p => p.Value)]);
        })];
    }

    private static string EncodeGetMetricData(IReadOnlyList<MetricDataQuery> queries, DateTimeOffset start, DateTimeOffset end, string? nextToken)
    {
        var body = new StringBuilder("Action=GetMetricData&Version=" + Version);
        body.Append(Pair("StartTime", Timestamp(start))).Append(Pair("EndTime", Timestamp(end)));
        body.Append(Pair("ScanBy", "TimestampAscending"));
        if (nextToken is not null)
        {
            body.Append(Pair("NextToken", nextToken));
        }
        for (var q = 0; q < queries.Count; q++)
        {
            var query = queries[q];
            var prefix = $"MetricDataQueries.member.{q + 1}.";
            body.Append(Pair(prefix + "Id", query.Id));
            if (query.Label is { } label)
            {
                body.Append(Pair(prefix + "Label", label));
            }
            if (query.Expression is { } expression)
            {
                body.Append(Pair(prefix + "Expression", expression));
            }
            if (query.ReturnData is { } returnData)
            {
                body.Append(Pair(prefix + "ReturnData", returnData ? "true" : "false"));
            }
            if (query.MetricStat is { } stat)
            {
                var metric = prefix + "MetricStat.Metric.";
                body.Append(Pair(metric + "Namespace", stat.Metric.Namespace));
                body.Append(Pair(metric + "MetricName", stat.Metric.MetricName));
                for (var d = 0; d < stat.Metric.Dimensions.Count; d++)
                {
                    body.Append(Pair($"{metric}Dimensions.member.{d + 1}.Name", stat.Metric.Dimensions[d].Name));
                    body.Append(Pair($"{metric}Dimensions.member.{d + 1}.Value", stat.Metric.Dimensions[d].Value));
                }
                body.Append(Pair(prefix + "MetricStat.Period", stat.Period.ToString(CultureInfo.InvariantCulture)));
                body.Append(Pair(prefix + "MetricStat.Stat", stat.Stat));
                if (stat.Unit is { } unit)
                {
                    body.Append(Pair(prefix + "MetricStat.Unit", unit));
                }
            }
        }
        return body.ToString();
    }
}
