using System.Collections.Concurrent;
using Mirage.Model.Intents;

namespace Mirage.Edge.Tests.Support;

/// <summary>
/// An intent store for Edge tests, in memory: it holds intents with the revision check and counts the writes, so a
/// test sees how many wake requests the Edge recorded and can stand in for the reconciler when one arrives.
/// </summary>
public sealed class WakeRecordingIntentStore : IIntentStore
{
    private readonly ConcurrentDictionary<string, EnvironmentIntent> _intents = new(StringComparer.Ordinal);
    private int _saves;

    public int Saves => Volatile.Read(ref _saves);

    public event Action<string>? Changed;

    /// <summary>Raised after a write that woke an environment (asleep before, awake now).</summary>
    public event Action<EnvironmentIntent>? Woken;

    public void Put(EnvironmentIntent intent) => _intents[intent.Subdomain] = intent;

    public Task<EnvironmentIntent?> GetAsync(string subdomain, CancellationToken cancellationToken) =>
        Task.FromResult(_intents.GetValueOrDefault(subdomain));

    public Task<IReadOnlyList<EnvironmentIntent>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<EnvironmentIntent>>([.. _intents.Values]);

    public Task<EnvironmentIntent> SaveAsync(EnvironmentIntent intent, long expectedRevision, CancellationToken cancellationToken)
    {
        var stored = intent with { Revision = expectedRevision + 1 };
        var before = _intents.GetValueOrDefault(intent.Subdomain);
        var swapped = before is null
            ? expectedRevision == 0 && _intents.TryAdd(intent.Subdomain, stored)
            : before.Revision == expectedRevision && _intents.TryUpdate(intent.Subdomain, stored, before);
        if (!swapped)
        {
            throw new IntentConflictException(intent.Subdomain, expectedRevision, before?.Revision ?? 0);
        }
        Interlocked.Increment(ref _saves);
        Changed?.Invoke(intent.Subdomain);
        if (before is { Asleep: true } && !stored.Asleep)
        {
            Woken?.Invoke(stored);
        }
        return Task.FromResult(stored);
    }

    public Task DeleteAsync(string subdomain, long expectedRevision, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<EnvironmentStatus?> GetStatusAsync(string subdomain, CancellationToken cancellationToken) => Task.FromResult<EnvironmentStatus?>(null);

    public Task SaveStatusAsync(EnvironmentStatus status, CancellationToken cancellationToken) => Task.CompletedTask;
}
