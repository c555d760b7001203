using System.Collections.Concurrent;
using Mirage.Model.Backend;
using Mirage.Model.Routing;

namespace Mirage.Reconciler.Routing;

/// <summary>
/// The reconciler's routes, one per environment, published to the Edge as a new snapshot after every change.
/// Only RUNNING tasks with a reachable port become destinations.
/// </summary>
public sealed class RouteBook(RouteTablePublisher publisher)
{
    private readonly ConcurrentDictionary<string, Route> _routes = new(StringComparer.Ordinal);
    private readonly Lock _publishGate = new();

    public bool Has(string subdomain) => _routes.ContainsKey(subdomain);

    /// <summary>
    /// Takes the routes the Edge serves now as the book's own, without publishing: a replica that starts leading
    /// continues from the table it served as a follower, so no route disappears while its first passes run. Returns
    /// the subdomains taken over, for the reconciler to check.
    /// </summary>
    public IReadOnlyList<string> ContinueFromPublished()
    {
        lock (_publishGate)
        {
            _routes.Clear();
            foreach (var route in publisher.Current.Routes)
            {
                _routes[route.Subdomain] = route;
            }
            return [.. _routes.Keys];
        }
    }

    public Route? Get(string subdomain) => _routes.GetValueOrDefault(subdomain);

    /// <summary>Routes the subdomain to the RUNNING tasks among <paramref name="tasks"/>; no such task removes the route.</summary>
    public Route? Set(string subdomain, IEnumerable<ObservedTask> tasks)
    {
        var route = BuildRoute(subdomain, tasks);
        if (route is null)
        {
            Remove(subdomain);
            return null;
        }
        if (_routes.TryGetValue(subdomain, out var existing) && SameRoute(existing, route))
        {
            return existing;
        }
        _routes[subdomain] = route;
        Publish();
        return route;
    }

    /// <summary>Keeps the subdomain routed while it sleeps: no destinations, and the Edge asks for a wake on a request.</summary>
    public Route MarkSleeping(string subdomain, DateTimeOffset launchedAt)
    {
        var existing = Get(subdomain);
        // A wake that failed keeps its reason until a new wake or launch replaces the route.
        var route = existing is { Sleeping: true } ? existing : Route.Asleep(subdomain, launchedAt);
        if (!ReferenceEquals(route, existing))
        {
            _routes[subdomain] = route;
            Publish();
        }
        return route;
    }

    /// <summary>A sleeping route whose wake failed: requests get 502 with the reason. Nothing for a route that is not asleep.</summary>
    public void MarkWakeFailed(string subdomain, string reason)
    {
        if (Get(subdomain) is { Sleeping: true } sleeping && sleeping.WakeFailure != reason)
        {
            _routes[subdomain] = sleeping with { WakeFailure = reason };
            Publish();
        }
    }

    public void Remove(string subdomain)
    {
        if (_routes.TryRemove(subdomain, out _))
        {
            Publish();
        }
    }

    public static Route? BuildRoute(string subdomain, IEnumerable<ObservedTask> tasks)
    {
        var serving = tasks.Where(t => t.LastStatus == EcsTaskStatus.Running && t.Ports.Count > 0).ToList();
        if (serving.Count == 0)
        {
            return null;
        }
        var first = serving.MinBy(t => (t.LaunchedAt, t.Arn))!;
        var destinations = serving
            .SelectMany(t => t.Ports)
            .GroupBy(p => p.ContainerPort)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<RouteDestination>)[.. g.Select(p => new RouteDestination(p.Host, p.HostPort)).Distinct()]);
        return new Route(subdomain, first.LaunchedAt, first.Arn, destinations);
    }

    private static bool SameRoute(Route a, Route b) =>
        a.LaunchedAt == b.LaunchedAt && a.TaskId == b.TaskId && a.Sleeping == b.Sleeping && a.WakeFailure == b.WakeFailure &&
        a.Destinations.Count == b.Destinations.Count &&
        a.Destinations.All(kv => b.Destinations.TryGetValue(kv.Key, out var other) && kv.Value.SequenceEqual(other));

    private void Publish()
    {
        // Serialized so a slower publisher cannot overwrite a newer snapshot with an older view.
        lock (_publishGate)
        {
            publisher.Publish(_routes.Values);
        }
    }
}
