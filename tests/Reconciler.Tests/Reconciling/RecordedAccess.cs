using Mirage.Model.Metrics;

namespace Mirage.Reconciler.Tests.Reconciling;

/// <summary>
/// Access counts as the Edge keeps them (one-minute buckets, a window counts whole buckets back to the one holding
/// now - window), from requests the test records; counts how often it was read.
/// </summary>
internal sealed class RecordedAccess(TimeProvider time) : IAccessCountReader
{
    private readonly List<(string Key, DateTimeOffset At)> _requests = [];

    public int Reads { get; private set; }

    public void Request(string routeKey) => _requests.Add((routeKey, time.GetUtcNow()));

    public Task<long> GetAccessCountAsync(string subdomain, TimeSpan window, CancellationToken cancellationToken)
    {
        Reads++;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var sinceMinute = (now - (long)Math.Ceiling(window.TotalSeconds)) / 60;
        return Task.FromResult((long)_requests.Count(r => r.Key == subdomain && r.At.ToUnixTimeSeconds() / 60 >= sinceMinute));
    }
}
