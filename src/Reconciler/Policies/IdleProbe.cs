using Mirage.Model.Metrics;

namespace Mirage.Reconciler.Policies;

/// <summary>
/// Finds out from the access counters (which only answer "how many requests in the last N") whether an environment
/// had a request in its idle window and, if so, about when the latest was: a binary search over whole minutes, so a
/// 24 h window costs at most 12 reads, and only when a policy deadline is due.
/// </summary>
public sealed class IdleProbe(IAccessCountReader accessCounts, TimeProvider time)
{
    /// <returns>Null when no request was counted in the window; else the earliest the latest request can have been.</returns>
    public async Task<DateTimeOffset?> LastRequestAsync(string routeKey, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (await accessCounts.GetAccessCountAsync(routeKey, window, cancellationToken) == 0)
        {
            return null;
        }
        // The smallest whole number of minutes whose count is not zero; counts only grow with the window.
        var low = 1;
        var high = Math.Max(1, (int)Math.Ceiling(window.TotalMinutes));
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (await accessCounts.GetAccessCountAsync(routeKey, TimeSpan.FromMinutes(middle), cancellationToken) > 0)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }
        // A count over k minutes includes the whole bucket k minutes back: the request may be a minute older still.
        return now - TimeSpan.FromMinutes(low) - PolicyEvaluator.Granularity;
    }
}
