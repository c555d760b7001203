using System.Globalization;

namespace Mirage.Api.Web.Pages;

/// <summary>How pages write times: UTC for people (the browser adds "3 min ago"), ISO 8601 for machines.</summary>
public static class TimeText
{
    public static string Display(DateTimeOffset? at) =>
        at is { } t && t != DateTimeOffset.MinValue ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "-";

    public static string Iso(DateTimeOffset? at) =>
        at is { } t && t != DateTimeOffset.MinValue ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : "";

    /// <summary>A short duration: "850 ms", "12.3 s", "4 min 05 s", "2 h 10 min".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }
        return span.TotalSeconds switch
        {
            < 1 => $"{span.TotalMilliseconds:0} ms",
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s"),
            < 3600 => $"{(int)span.TotalMinutes} min {span.Seconds:00} s",
            < 86400 => $"{(int)span.TotalHours} h {span.Minutes:00} min",
            _ => $"{(int)span.TotalDays} d {span.Hours} h",
        };
    }
}
