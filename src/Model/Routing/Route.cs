namespace Mirage.Model.Routing;

/// <summary>
/// Where one environment's traffic goes. <see cref="Subdomain"/> is the exact subdomain or a path.Match pattern.
/// <see cref="Destinations"/> maps a container (target) port to the upstreams serving it; several tasks or containers
/// on one port give several destinations.
/// </summary>
/// <param name="LaunchedAt">Launch time of the earliest running task; orders wildcard patterns (earliest wins).</param>
/// <param name="TaskId">Id of that task; breaks launch-time ties.</param>
/// <param name="Sleeping">The environment sleeps: no destinations, and a request to it asks for a wake.</param>
/// <param name="WakeFailure">Why the last wake failed (a sleeping route only); requests get 502 with it.</param>
public sealed record Route(
    string Subdomain,
    DateTimeOffset LaunchedAt,
    string TaskId,
    IReadOnlyDictionary<int, IReadOnlyList<RouteDestination>> Destinations,
    bool Sleeping = false,
    string? WakeFailure = null)
{
    private static readonly IReadOnlyDictionary<int, IReadOnlyList<RouteDestination>> NoDestinations =
        new Dictionary<int, IReadOnlyList<RouteDestination>>();

    public bool IsPattern => Subdomains.SubdomainRules.IsPattern(Subdomain);

    /// <summary>The route of a sleeping environment; it keeps its place among wildcard patterns by launch time.</summary>
    public static Route Asleep(string subdomain, DateTimeOffset launchedAt, string? wakeFailure = null) =>
        new(subdomain, launchedAt, "", NoDestinations, Sleeping: true, WakeFailure: wakeFailure);
}
