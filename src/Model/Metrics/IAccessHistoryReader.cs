namespace Mirage.Model.Metrics;

/// <summary>Requests an environment received per hour recently: the UI's access chart and sparklines.</summary>
public interface IAccessHistoryReader
{
    /// <summary>Requests in each of the last <paramref name="hours"/> clock hours (UTC), oldest first; the last is the hour under way.</summary>
    /// <param name="subdomain">The route key: the exact subdomain, or the pattern for wildcard routes.</param>
    Task<IReadOnlyList<long>> GetHourlyAsync(string subdomain, int hours, CancellationToken cancellationToken);
}
