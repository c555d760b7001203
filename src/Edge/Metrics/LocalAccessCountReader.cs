using Mirage.Model.Metrics;

namespace Mirage.Edge.Metrics;

/// <summary>The access count and hourly history from this process's own counters (no CloudWatch).</summary>
public sealed class LocalAccessCountReader(AccessCounters counters) : IAccessCountReader, IAccessHistoryReader
{
    public Task<long> GetAccessCountAsync(string subdomain, TimeSpan window, CancellationToken cancellationToken) =>
        Task.FromResult(counters.GetRecent(subdomain, window));

    public Task<IReadOnlyList<long>> GetHourlyAsync(string subdomain, int hours, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<long>>(counters.GetHourly(subdomain, hours));
}
