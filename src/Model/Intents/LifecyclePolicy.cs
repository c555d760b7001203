namespace Mirage.Model.Intents;

/// <summary>What may end an environment on its own.</summary>
/// <param name="Keep">Never purged or expired.</param>
/// <param name="Ttl">Maximum age since the last launch.</param>
/// <param name="IdleWindow">Terminated after this long without a proxied request.</param>
/// <param name="SleepAfter">
/// Put to sleep after this long without a proxied request; null: the config's <c>sleep.sleep_after</c>; zero: never.
/// </param>
public sealed record LifecyclePolicy(bool Keep = false, TimeSpan? Ttl = null, TimeSpan? IdleWindow = null, TimeSpan? SleepAfter = null)
{
    public static LifecyclePolicy Default { get; } = new();
}
