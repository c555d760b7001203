using System.Diagnostics;
using Mirage.Model.Telemetry;

namespace Mirage.Model.Intents;

/// <summary>Read-modify-write of one intent with the store's revision check, retried when another writer got there first.</summary>
public static class IntentUpdates
{
    private const int MaxAttempts = 5;

    /// <summary>
    /// Applies <paramref name="change"/> to the stored intent (null when none) and saves the result; a change that
    /// returns null (nothing to do) or the same intent writes nothing. Returns the stored intent.
    /// </summary>
    public static async Task<EnvironmentIntent?> UpdateAsync(
        IIntentStore store, string subdomain, Func<EnvironmentIntent?, EnvironmentIntent?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await store.GetAsync(subdomain, cancellationToken);
            var changed = change(existing);
            if (changed is null || ReferenceEquals(changed, existing))
            {
                return existing;
            }
            using var activity = MirageTracing.ModelSource.StartActivity("mirage.intent.save");
            activity?.SetTag(MirageTracing.Environment, subdomain);
            try
            {
                var stored = await store.SaveAsync(changed with { TraceParent = MirageTracing.CurrentTraceParent() }, existing?.Revision ?? 0, cancellationToken);
                activity?.SetTag(MirageTracing.Revision, stored.Revision);
                return stored;
            }
            catch (IntentConflictException) when (attempt < MaxAttempts)
            {
                activity?.SetStatus(ActivityStatusCode.Error, "conflict");
            }
        }
    }

    /// <summary>Marks the environment for termination; nothing to do when it is unknown or already terminating.</summary>
    public static Task<EnvironmentIntent?> TerminateAsync(IIntentStore store, string subdomain, DateTimeOffset now, CancellationToken cancellationToken) =>
        TerminateAsync(store, subdomain, now, cause: null, onlyRevision: null, cancellationToken);

    /// <summary>
    /// Marks the environment for termination with the reason to show in its history. With <paramref name="onlyRevision"/>,
    /// only that revision is terminated: a decision made about one launch must not end a newer one.
    /// </summary>
    public static Task<EnvironmentIntent?> TerminateAsync(
        IIntentStore store, string subdomain, DateTimeOffset now, EnvironmentEvent? cause, long? onlyRevision, CancellationToken cancellationToken) =>
        UpdateAsync(store, subdomain, existing => existing is null || existing.Desired == DesiredState.Terminated ||
                                                  (onlyRevision is { } revision && existing.Revision != revision)
            ? existing
            : existing with { Desired = DesiredState.Terminated, UpdatedAt = now, Cause = cause }, cancellationToken);

    /// <summary>
    /// Puts a running environment to sleep. Nothing to do when it is unknown, terminating or already asleep; with
    /// <paramref name="onlyRevision"/>, only that revision (a policy's decision about one launch).
    /// </summary>
    public static Task<EnvironmentIntent?> SleepAsync(
        IIntentStore store, string subdomain, EnvironmentEvent cause, long? onlyRevision, CancellationToken cancellationToken) =>
        UpdateAsync(store, subdomain, existing => existing is null || existing.Desired == DesiredState.Terminated || existing.Asleep ||
                                                  (onlyRevision is { } revision && existing.Revision != revision)
            ? existing
            : existing with { Asleep = true, UpdatedAt = cause.At, Cause = cause }, cancellationToken);

    /// <summary>
    /// Asks for a sleeping environment to be woken: one durable write that the reconciler (wherever it runs) acts on.
    /// Nothing to do when it is unknown, terminating or already awake, so any number of callers write at most once.
    /// </summary>
    public static Task<EnvironmentIntent?> WakeAsync(IIntentStore store, string subdomain, EnvironmentEvent cause, CancellationToken cancellationToken) =>
        UpdateAsync(store, subdomain, existing => existing is null || existing.Desired == DesiredState.Terminated || !existing.Asleep
            ? existing
            : existing with { Asleep = false, UpdatedAt = cause.At, Cause = cause }, cancellationToken);
}
