namespace Mirage.Reconciler.Policies;

/// <summary>What the lifecycle policies say about an environment at one moment.</summary>
/// <param name="Fired">The policy that ends the environment now, if any.</param>
/// <param name="ExpiresAt">When the ttl ends it (null: no ttl, or kept).</param>
/// <param name="IdleDeadline">When the idle purge ends it unless a request arrives (null: no idle window, kept, or not serving).</param>
/// <param name="Kept">Pinned: nothing ends it.</param>
/// <param name="SleepAt">When sleep_after puts it to sleep unless a request arrives (null: none applies, or not serving).</param>
public sealed record PolicyVerdict(PolicyFiring? Fired, DateTimeOffset? ExpiresAt, DateTimeOffset? IdleDeadline, bool Kept, DateTimeOffset? SleepAt = null)
{
    /// <summary>When to evaluate again: the earliest deadline still ahead.</summary>
    public DateTimeOffset? NextCheck(DateTimeOffset now) =>
        new[] { ExpiresAt, IdleDeadline, SleepAt }.Where(d => d > now).Min();
}
