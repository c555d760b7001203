namespace Mirage.Model.Routing;

/// <summary>
/// Where one environment's traffic goes. <see cref="Subdomain"/> is the exact subdomain or a path.Match pattern.
/// <see cref="Destinations"/> maps a container (target) port to the upstreams serving it; several tasks or containers
/// on one port give several destinations.
/// </summary>
/// <param name="LaunchedAt">Launch time of the earliest running task; orders wildcard patterns (earliest wins).</param>
/// <param name="TaskId">Id of that task; breaks launch-time ties.</param>
public sealed record Route(
    string Subdomain,
    DateTimeOffset LaunchedAt,
    string TaskId,
    IReadOnlyDictionary<int, IReadOnlyList<RouteDestination>> Destinations)
{
    public bool IsPattern => Subdomains.SubdomainRules.IsPattern(Subdomain);
}
