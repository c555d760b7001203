using Mirage.Model.Configuration;

namespace Mirage.Model.Intents;

/// <summary>The rules for <c>sleep_after</c> that the config, the launch body and the GitOps file share.</summary>
public static class SleepPolicy
{
    /// <summary>Shorter makes no sense for a stop and a launch; a request keeps an environment awake a minute anyway (the counters' buckets).</summary>
    public static readonly TimeSpan MinimumSleepAfter = TimeSpan.FromSeconds(5);

    /// <summary>The sleep_after that applies: the environment's own (zero: never), else the config default.</summary>
    public static TimeSpan? Effective(LifecyclePolicy policy, SleepConfig config) =>
        policy.SleepAfter is { } own ? (own > TimeSpan.Zero ? own : null) : config.SleepAfter;

    /// <summary>Parses a sleep_after value (a Go duration; 0 means never); null with an error that says what to write.</summary>
    public static TimeSpan? Parse(string text, string field, out string? error)
    {
        error = null;
        if (!GoDuration.TryParse(text.Trim(), out var after) || after < TimeSpan.Zero)
        {
            error = $"{field}: \"{text}\" is not a duration; write a Go duration such as \"30m\" or \"2h\", or \"0\" for never";
            return null;
        }
        if (after != TimeSpan.Zero && after < MinimumSleepAfter)
        {
            error = $"{field}: {GoDuration.Format(after)} is too short; write at least {GoDuration.Format(MinimumSleepAfter)}, or \"0\" for never";
            return null;
        }
        return after;
    }
}
