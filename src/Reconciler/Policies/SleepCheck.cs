namespace Mirage.Reconciler.Policies;

/// <summary>What the sleep_after policy needs, given only while the environment is awake and serving.</summary>
/// <param name="After">The sleep_after that applies.</param>
/// <param name="AwakeSince">When it last started serving (a launch or a wake); the window counts from here at the earliest.</param>
/// <param name="LastRequestAt">As for the idle window: null when no request was counted in the last <paramref name="After"/>.</param>
public sealed record SleepCheck(TimeSpan After, DateTimeOffset AwakeSince, DateTimeOffset? LastRequestAt);
