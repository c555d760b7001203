using System.Collections.Concurrent;
using Mirage.Model.Routing;

namespace Mirage.Edge.Forwarding;

/// <summary>
/// The <c>http://host:port</c> prefix YARP forwards to, built once per destination instead of once per request.
/// Bounded: past <see cref="MaxEntries"/> (destinations of routes long gone) it starts over.
/// </summary>
internal sealed class DestinationPrefixes
{
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<RouteDestination, string> _prefixes = new();
    // ConcurrentDictionary.Count takes every lock; a separate counter keeps the miss path cheap.
    private int _count;

    public int Count => _prefixes.Count;

    public string For(RouteDestination destination)
    {
        if (_prefixes.TryGetValue(destination, out var prefix))
        {
            return prefix;
        }
        prefix = destination.Host.Contains(':', StringComparison.Ordinal)
            ? $"http://[{destination.Host}]:{destination.Port}"
            : $"http://{destination.Host}:{destination.Port}";
        if (Interlocked.Increment(ref _count) > MaxEntries)
        {
            _prefixes.Clear();
            Volatile.Write(ref _count, 1);
        }
        _prefixes.TryAdd(destination, prefix);
        return prefix;
    }
}
