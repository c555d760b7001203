using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Mirage.Model.Routing;

/// <summary>
/// An immutable snapshot of every live route. An exact subdomain wins; otherwise wildcard patterns are tried in order
/// of launch time (earliest first, ties broken by task id) — mirage-ecs's rule, not longest match. Exact lookups are a
/// dictionary hit; pattern results are cached per host for the life of the snapshot (a new snapshot starts empty).
/// </summary>
public sealed class RouteTable
{
    // Bounds the per-host cache so a flood of random hosts cannot grow it without limit.
    private const int MaxCachedHosts = 10_000;

    private readonly FrozenDictionary<string, Route> _exact;
    private readonly Route[] _patterns;
    private readonly ConcurrentDictionary<string, Route?> _patternCache = new(StringComparer.Ordinal);
    // ConcurrentDictionary.Count takes every lock of the dictionary; a separate counter keeps misses cheap.
    private int _cachedHosts;

    private RouteTable(FrozenDictionary<string, Route> exact, Route[] patterns, long version)
    {
        _exact = exact;
        _patterns = patterns;
        Version = version;
    }

    public static RouteTable Empty { get; } = new(FrozenDictionary<string, Route>.Empty, [], 0);

    /// <summary>Increases with every published snapshot.</summary>
    public long Version { get; }

    public int Count => _exact.Count + _patterns.Length;

    /// <summary>Every route: exact ones (in no particular order), then patterns in precedence order.</summary>
    public IEnumerable<Route> Routes => _exact.Values.Concat(_patterns);

    /// <summary>Builds a snapshot. Two routes for the same subdomain are a caller bug and throw.</summary>
    public static RouteTable Create(IEnumerable<Route> routes, long version)
    {
        var exact = new Dictionary<string, Route>(StringComparer.Ordinal);
        var patterns = new Dictionary<string, Route>(StringComparer.Ordinal);
        foreach (var route in routes)
        {
            var added = route.IsPattern ? patterns.TryAdd(route.Subdomain, route) : exact.TryAdd(route.Subdomain, route);
            if (!added)
            {
                throw new ArgumentException($"duplicate route for {route.Subdomain}", nameof(routes));
            }
        }
        var ordered = patterns.Values.ToArray();
        Array.Sort(ordered, ComparePrecedence);
        return new RouteTable(exact.ToFrozenDictionary(StringComparer.Ordinal), ordered, version);
    }

    /// <summary>Earliest launch first; ties by task id, then by pattern, so the order never depends on insertion.</summary>
    public static int ComparePrecedence(Route a, Route b)
    {
        var byTime = a.LaunchedAt.CompareTo(b.LaunchedAt);
        if (byTime != 0)
        {
            return byTime;
        }
        var byTask = string.CompareOrdinal(a.TaskId, b.TaskId);
        return byTask != 0 ? byTask : string.CompareOrdinal(a.Subdomain, b.Subdomain);
    }

    /// <summary>The route serving <paramref name="subdomain"/> (already lower-cased), or null.</summary>
    public Route? Find(string subdomain)
    {
        if (_exact.TryGetValue(subdomain, out var route))
        {
            return route;
        }
        if (_patterns.Length == 0)
        {
            return null;
        }
        if (_patternCache.TryGetValue(subdomain, out route))
        {
            return route;
        }
        route = FindPattern(subdomain);
        if (Volatile.Read(ref _cachedHosts) < MaxCachedHosts && _patternCache.TryAdd(subdomain, route))
        {
            Interlocked.Increment(ref _cachedHosts);
        }
        return route;
    }

    /// <summary>The exact route, or the pattern route registered under exactly this pattern string.</summary>
    public Route? FindByKey(string subdomain) =>
        _exact.TryGetValue(subdomain, out var route) ? route : Array.Find(_patterns, p => p.Subdomain == subdomain);

    private Route? FindPattern(string subdomain)
    {
        foreach (var pattern in _patterns)
        {
            // Patterns are validated at launch; a bad one (e.g. adopted from elsewhere) simply never matches.
            if (PathPattern.TryMatch(pattern.Subdomain, subdomain, out var matched) && matched)
            {
                return pattern;
            }
        }
        return null;
    }
}
