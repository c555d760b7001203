using System.Collections.Concurrent;
using Mirage.Model.Intents;

namespace Mirage.Reconciler.Tests.GitOps;

/// <summary>The intent store's contract in memory (revision checks included), for thousands of property runs.</summary>
internal sealed class InMemoryIntentStore : IIntentStore
{
    private readonly ConcurrentDictionary<string, EnvironmentIntent> _intents = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public event Action<string>? Changed;

    public IReadOnlyDictionary<string, EnvironmentIntent> Intents => _intents;

    public Task<EnvironmentIntent?> GetAsync(string subdomain, CancellationToken cancellationToken) =>
        Task.FromResult(_intents.GetValueOrDefault(subdomain));

    public Task<IReadOnlyList<EnvironmentIntent>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<EnvironmentIntent>>([.. _intents.Values.OrderBy(i => i.Subdomain, StringComparer.Ordinal)]);

    public Task<EnvironmentIntent> SaveAsync(EnvironmentIntent intent, long expectedRevision, CancellationToken cancellationToken)
    {
        EnvironmentIntent saved;
        lock (_gate)
        {
            var actual = _intents.TryGetValue(intent.Subdomain, out var existing) ? existing.Revision : 0;
            if (actual != expectedRevision)
            {
                throw new IntentConflictException(intent.Subdomain, expectedRevision, actual);
            }
            saved = intent with { Revision = expectedRevision + 1 };
            _intents[intent.Subdomain] = saved;
        }
        Changed?.Invoke(intent.Subdomain);
        return Task.FromResult(saved);
    }

    public Task DeleteAsync(string subdomain, long expectedRevision, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_intents.TryGetValue(subdomain, out var existing) && existing.Revision == expectedRevision)
            {
                _intents.TryRemove(subdomain, out _);
            }
        }
        return Task.CompletedTask;
    }

    public Task<EnvironmentStatus?> GetStatusAsync(string subdomain, CancellationToken cancellationToken) => Task.FromResult<EnvironmentStatus?>(null);

    public Task SaveStatusAsync(EnvironmentStatus status, CancellationToken cancellationToken) => Task.CompletedTask;
}
