namespace Mirage.Model.Metrics;

/// <summary>
/// Reads how many requests an environment received recently: backs <c>/api/access</c> and the idle purge.
/// Implemented from the Edge's in-memory counters (local mode) or from CloudWatch (AWS mode).
/// </summary>
public interface IAccessCountReader
{
    /// <param name="subdomain">The route key: the exact subdomain, or the pattern for wildcard routes.</param>
    /// <param name="window">How far back to count, at one-minute granularity.</param>
    Task<long> GetAccessCountAsync(string subdomain, TimeSpan window, CancellationToken cancellationToken);
}
