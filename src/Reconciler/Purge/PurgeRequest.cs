using System.Text.RegularExpressions;

namespace Mirage.Reconciler.Purge;

/// <summary>
/// Which environments a purge may terminate: those RUNNING for at least <see cref="Duration"/> with no proxied request
/// in that time, minus the excluded ones.
/// </summary>
/// <param name="ExcludeTags">Tag key to value; a task with any of these tags is kept.</param>
public sealed record PurgeRequest(
    TimeSpan Duration,
    IReadOnlyList<string> Excludes,
    IReadOnlyDictionary<string, string> ExcludeTags,
    Regex? ExcludeRegexp,
    bool DryRun = false)
{
    /// <summary>mirage-ecs refuses shorter windows: 5 minutes.</summary>
    public static TimeSpan MinimumDuration { get; } = TimeSpan.FromSeconds(300);
}
