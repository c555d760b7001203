namespace Mirage.Reconciler.Purge;

/// <summary>One run of the purge schedule: when, whether it was a dry run, and the environments it selected.</summary>
public sealed record ScheduledPurgeRun(DateTimeOffset At, bool DryRun, IReadOnlyList<string> Subdomains);
