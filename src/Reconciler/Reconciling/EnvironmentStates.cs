using System.Collections.Concurrent;
using Mirage.Model.Lifecycle;

namespace Mirage.Reconciler.Reconciling;

/// <summary>
/// The lifecycle state of every environment as this replica's passes last recorded it: what the
/// <c>mirage.environments</c> gauge counts when collected, so counting costs no store read.
/// </summary>
public sealed class EnvironmentStates
{
    private readonly ConcurrentDictionary<string, LifecycleState> _states = new(StringComparer.Ordinal);

    public void Set(string subdomain, LifecycleState state) => _states[subdomain] = state;

    public void Remove(string subdomain) => _states.TryRemove(subdomain, out _);

    /// <summary>Forgets everything: a replica that stops leading no longer knows the states.</summary>
    public void Clear() => _states.Clear();

    /// <summary>How many environments are in each state, indexed by the state's value.</summary>
    public long[] CountByState()
    {
        var counts = new long[Enum.GetValues<LifecycleState>().Length];
        foreach (var (_, state) in _states)
        {
            counts[(int)state]++;
        }
        return counts;
    }
}
