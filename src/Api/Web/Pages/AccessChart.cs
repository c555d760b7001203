using System.Globalization;
using System.Text;

namespace Mirage.Api.Web.Pages;

/// <summary>
/// Requests per hour drawn server-side as an inline SVG bar chart (no script, no external asset): one
/// <c>rect.bar</c> per hour, oldest on the left, heights relative to the busiest hour. Only numbers go into the
/// markup, so it is safe to write unescaped into a template.
/// </summary>
public static class AccessChart
{
    public const int Hours = 24;

    /// <summary>The environment page's chart, with an hour axis and a title per bar.</summary>
    public static string Chart(IReadOnlyList<long> perHour, DateTimeOffset now) => Draw(perHour, now, "access-chart", width: 480, height: 120, titles: true);

    /// <summary>A list row's sparkline: the same bars, small, no titles.</summary>
    public static string Sparkline(IReadOnlyList<long> perHour, DateTimeOffset now) => Draw(perHour, now, "sparkline", width: 96, height: 20, titles: false);

    private static string Draw(IReadOnlyList<long> perHour, DateTimeOffset now, string cssClass, int width, int height, bool titles)
    {
        var total = perHour.Sum();
        var max = Math.Max(1, perHour.Count == 0 ? 1 : perHour.Max());
        var slot = (double)width / Math.Max(1, perHour.Count);
        var svg = new StringBuilder(256 + perHour.Count * (titles ? 140 : 90));
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"{cssClass}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{total} requests in the last {perHour.Count} hours\" data-total=\"{total}\">");
        var currentHour = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, now.UtcDateTime.Day, now.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < perHour.Count; i++)
        {
            var count = perHour[i];
            // A bar of at least one pixel for any request, so a quiet hour with traffic is not mistaken for none.
            var barHeight = count == 0 ? 0 : Math.Max(1, Math.Round(count * (double)height / max, 1));
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"bar\" x=\"{i * slot + 1:0.##}\" y=\"{height - barHeight:0.##}\" width=\"{Math.Max(1, slot - 2):0.##}\" height=\"{barHeight:0.##}\" data-count=\"{count}\">");
            if (titles)
            {
                var start = currentHour.AddHours(i - perHour.Count + 1);
                svg.Append(CultureInfo.InvariantCulture, $"<title>{count} requests, {start:HH}:00–{start.AddHours(1):HH}:00 UTC</title>");
            }
            svg.Append("</rect>");
        }
        return svg.Append("</svg>").ToString();
    }
}
