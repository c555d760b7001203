namespace Mirage.Aws.CloudWatch;

/// <summary>One PutMetricData entry (MetricDatum in the CloudWatch API).</summary>
public sealed record MetricDatum
{
    public required string MetricName { get; init; }
    public IReadOnlyList<MetricDimension> Dimensions { get; init; } = [];
    public DateTimeOffset? Timestamp { get; init; }
    public double? Value { get; init; }
    /// <summary>Count, Seconds, None… as the API spells it.</summary>
    public string? Unit { get; init; }
    /// <summary>1 for high resolution, 60 (default) for standard.</summary>
    public int? StorageResolution { get; init; }
}

public sealed record MetricDimension(string Name, string Value);
