using System.Collections.Concurrent;
using Mirage.Model.Routing;

namespace Mirage.Edge.Forwarding;

/// <summary>
/// Spreads requests over a route's destinations round-robin and skips, for a while, destinations that refused a
/// connection. The state is shared by all routes: an address that refuses does so whichever host asked.
/// </summary>
public sealed class DestinationSelector(TimeProvider time, EdgeOptions options)
{
    private readonly ConcurrentDictionary<RouteDestination, long> _downUntil = new();
    // The latest moment any destination is out of rotation; once it passes, nobody is down and lookups are skipped.
    private long _anyDownUntil = long.MinValue;
    private uint _next;

    public TimeSpan Cooldown => options.RefusedDestinationCooldown;

    /// <summary>
    /// The next destination in rotation other than <paramref name="exclude"/>. With every candidate out of rotation
    /// the next one is tried anyway (it may have recovered); null only when nothing but the excluded one exists.
    /// </summary>
    public RouteDestination? Pick(IReadOnlyList<RouteDestination> destinations, RouteDestination? exclude = null)
    {
        var count = destinations.Count;
        if (count == 1)
        {
            var only = destinations[0];
            return exclude is not null && only.Equals(exclude) ? null : only;
        }
        if (count == 0)
        {
            return null;
        }

        var start = (int)(Interlocked.Increment(ref _next) % (uint)count);
        var now = time.GetUtcNow().UtcTicks;
        var anyDown = now < Volatile.Read(ref _anyDownUntil);
        RouteDestination? fallback = null;
        for (var i = 0; i < count; i++)
        {
            var candidate = destinations[(start + i) % count];
            if (exclude is not null && candidate.Equals(exclude))
            {
                continue;
            }
            if (!anyDown || !IsDown(candidate, now))
            {
                return candidate;
            }
            fallback ??= candidate;
        }
        return fallback;
    }

    /// <summary>Takes a destination out of rotation for <see cref="Cooldown"/>.</summary>
    public void MarkRefused(RouteDestination destination)
    {
        var until = time.GetUtcNow().Add(Cooldown).UtcTicks;
        _downUntil[destination] = until;
        var seen = Volatile.Read(ref _anyDownUntil);
        while (seen < until)
        {
            var previous = Interlocked.CompareExchange(ref _anyDownUntil, until, seen);
            if (previous == seen)
            {
                break;
            }
            seen = previous;
        }
    }

    public bool IsDown(RouteDestination destination) => IsDown(destination, time.GetUtcNow().UtcTicks);

    private bool IsDown(RouteDestination destination, long now)
    {
        if (!_downUntil.TryGetValue(destination, out var until))
        {
            return false;
        }
        if (now < until)
        {
            return true;
        }
        _downUntil.TryRemove(new KeyValuePair<RouteDestination, long>(destination, until));
        return false;
    }
}
