namespace Mirage.Model.Metrics;

/// <summary>
/// The longest window access counts can be asked for (<c>/api/access</c>, purge durations): CloudWatch keeps hourly
/// data for 455 days, so a longer window could not be answered truthfully, and the bound keeps every
/// <c>now - window</c> and seconds-to-period conversion far from overflow.
/// </summary>
public static class AccessCountWindow
{
    public static TimeSpan Maximum { get; } = TimeSpan.FromDays(455);

    /// <summary><see cref="Maximum"/> in whole seconds (39,312,000), as the API takes it.</summary>
    public static long MaximumSeconds { get; } = (long)Maximum.TotalSeconds;
}
