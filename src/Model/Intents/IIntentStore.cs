namespace Mirage.Model.Intents;

/// <summary>
/// Durable desired state. Writes are atomic (a crash leaves the old or the new intent, never a torn one) and
/// ordered by revision: saving with a stale expected revision throws <see cref="IntentConflictException"/>.
/// </summary>
public interface IIntentStore
{
    Task<EnvironmentIntent?> GetAsync(string subdomain, CancellationToken cancellationToken);

    Task<IReadOnlyList<EnvironmentIntent>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="intent"/> if the stored revision equals <paramref name="expectedRevision"/>
    /// (0 = must not exist yet). The stored intent's revision becomes <c>expectedRevision + 1</c>.
    /// </summary>
    Task<EnvironmentIntent> SaveAsync(EnvironmentIntent intent, long expectedRevision, CancellationToken cancellationToken);

    /// <summary>Removes a finished (terminated and cleaned up) intent and its status, if still at the expected revision.</summary>
    Task DeleteAsync(string subdomain, long expectedRevision, CancellationToken cancellationToken);

    Task<EnvironmentStatus?> GetStatusAsync(string subdomain, CancellationToken cancellationToken);

    Task SaveStatusAsync(EnvironmentStatus status, CancellationToken cancellationToken);

    /// <summary>
    /// Brings a cached view up to date with what other replicas wrote; a new leader calls it before its first pass.
    /// A store that is always current (one replica's files) has nothing to do.
    /// </summary>
    Task CatchUpAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Raised after an intent was saved or deleted, with its subdomain.</summary>
    event Action<string>? Changed;
}
