namespace Mirage.Aws.CloudWatch;

/// <summary>One GetMetricData query: a metric statistic, or an expression over other queries.</summary>
public sealed record MetricDataQuery
{
    /// <summary>Starts with a lower-case letter; letters, digits and underscores.</summary>
    public required string Id { get; init; }
    public MetricStat? MetricStat { get; init; }
    public string? Expression { get; init; }
    public string? Label { get; init; }
    public bool? ReturnData { get; init; }
}

public sealed record MetricStat(MetricId Metric, int Period, string Stat, string? Unit = null);

public sealed record MetricId(string Namespace, string MetricName, IReadOnlyList<MetricDimension> Dimensions);

/// <summary>The series of one query, oldest first once merged across pages (CloudWatch returns newest first by default).</summary>
public sealed record MetricDataResult(string Id, string? Label, string? StatusCode, IReadOnlyList<DateTimeOffset> Timestamps, IReadOnlyList<double> Values)
{
    public double Sum => Values.Sum();
}
