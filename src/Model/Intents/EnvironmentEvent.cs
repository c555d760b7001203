namespace Mirage.Model.Intents;

/// <summary>One line of an environment's history (launched, running, route live, purged, failed…).</summary>
public sealed record EnvironmentEvent(DateTimeOffset At, string Reason, string Message);
