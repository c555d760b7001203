using Mirage.Model.Metrics;

namespace Mirage.Edge.Metrics;

/// <summary>The access count from this process's own counters (local mode; no CloudWatch).</summary>
public sealed class LocalAccessCountReader(AccessCounters counters) : IAccessCountReader
{
    public Task<long> GetAccessCountAsync(string subdomain, TimeSpan window, CancellationToken cancellationToken) =>
        Task.FromResult(counters.GetRecent(subdomain, window));
}
