namespace Mirage.Model.Metrics;

/// <summary>Receives the Edge's per-minute access counts (e.g. CloudWatch <c>PutMetricData</c>).</summary>
public interface IAccessCountSink
{
    Task PublishAsync(IReadOnlyList<AccessCountSample> samples, CancellationToken cancellationToken);
}
