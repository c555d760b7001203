namespace Mirage.Reconciler.Policies;

/// <summary>A policy that ends the environment (or puts it to sleep, <see cref="Intents.CauseReasons.Slept"/>) now: <paramref name="Reason"/> is a <see cref="Intents.CauseReasons"/> value.</summary>
public sealed record PolicyFiring(string Reason, string Message);
