using System.Globalization;
using System.Text;

namespace Mirage.GoTemplates.Values;

/// <summary>
/// Go's reference-time layouts ("2006-01-02 15:04:05 MST"), formatted directly rather than translated to a .NET
/// format string, so text between the elements is copied as Go copies it (time/format.go's nextStdChunk).
/// </summary>
internal static class GoTimeLayout
{
    private static readonly string[] Elements =
    [
        "January", "Jan", "Monday", "Mon", "MST",
        "2006", "002", "01", "02", "03", "04", "05", "06", "15", "__2", "_2",
        "-07:00:00", "-070000", "-07:00", "-0700", "-07",
        "Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07",
        "PM", "pm", "1", "2", "3", "4", "5",
    ];

    public static string Format(GoTime time, string layout)
    {
        var t = time.Value;
        var b = new StringBuilder(layout.Length + 10);
        var i = 0;
        while (i < layout.Length)
        {
            if (FractionAt(layout, i) is { } fraction)
            {
                AppendFraction(b, t, layout[i], fraction.Digits, fraction.Trim);
                i += fraction.Digits + 1;
                continue;
            }
            var element = Elements.FirstOrDefault(e => string.CompareOrdinal(layout, i, e, 0, e.Length) == 0 && !(e == "Jan" && IsLower(layout, i + 3)) && !(e == "Mon" && IsLower(layout, i + 3)));
            if (element is null)
            {
                b.Append(layout[i++]);
                continue;
            }
            Append(b, time, element);
            i += element.Length;
        }
        return b.ToString();
    }

    // Go: "Jan" and "Mon" are elements only when no lower-case letter follows ("Jane" is text).
    private static bool IsLower(string s, int i) => i < s.Length && char.IsAsciiLetterLower(s[i]);

    private static (int Digits, bool Trim)? FractionAt(string layout, int i)
    {
        if (layout[i] is not ('.' or ',') || i + 1 >= layout.Length || layout[i + 1] is not ('0' or '9'))
        {
            return null;
        }
        var digit = layout[i + 1];
        var j = i + 1;
        while (j < layout.Length && layout[j] == digit)
        {
            j++;
        }
        // Go: only when not followed by another digit (".0001" is not a fraction element).
        if (j < layout.Length && char.IsAsciiDigit(layout[j]))
        {
            return null;
        }
        return (j - i - 1, digit == '9');
    }

    private static void AppendFraction(StringBuilder b, DateTimeOffset t, char separator, int digits, bool trim)
    {
        var nanos = (t.Ticks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture)[..Math.Min(digits, 9)];
        if (trim)
        {
            nanos = nanos.TrimEnd('0');
            if (nanos.Length == 0)
            {
                return;
            }
        }
        b.Append(separator).Append(nanos);
    }

    private static void Append(StringBuilder b, GoTime time, string element)
    {
        var t = time.Value;
        var inv = CultureInfo.InvariantCulture;
        switch (element)
        {
            case "January": b.Append(t.ToString("MMMM", inv)); break;
            case "Jan": b.Append(t.ToString("MMM", inv)); break;
            case "Monday": b.Append(t.DayOfWeek.ToString()); break;
            case "Mon": b.Append(t.DayOfWeek.ToString()[..3]); break;
            case "MST": b.Append(time.ZoneAbbreviation); break;
            case "2006": b.Append(t.Year.ToString("D4", inv)); break;
            case "06": b.Append((t.Year % 100).ToString("D2", inv)); break;
            case "002": b.Append(t.DayOfYear.ToString("D3", inv)); break;
            case "01": b.Append(t.Month.ToString("D2", inv)); break;
            case "1": b.Append(t.Month.ToString(inv)); break;
            case "02": b.Append(t.Day.ToString("D2", inv)); break;
            case "2": b.Append(t.Day.ToString(inv)); break;
            case "_2": b.Append(t.Day.ToString(inv).PadLeft(2)); break;
            case "__2": b.Append(t.DayOfYear.ToString(inv).PadLeft(3)); break;
            case "15": b.Append(t.Hour.ToString("D2", inv)); break;
            case "03": b.Append(Hour12(t).ToString("D2", inv)); break;
            case "3": b.Append(Hour12(t).ToString(inv)); break;
            case "04": b.Append(t.Minute.ToString("D2", inv)); break;
            case "4": b.Append(t.Minute.ToString(inv)); break;
            case "05": b.Append(t.Second.ToString("D2", inv)); break;
            case "5": b.Append(t.Second.ToString(inv)); break;
            case "PM": b.Append(t.Hour >= 12 ? "PM" : "AM"); break;
            case "pm": b.Append(t.Hour >= 12 ? "pm" : "am"); break;
            default: AppendZone(b, t.Offset, element); break;
        }
    }

    private static int Hour12(DateTimeOffset t) => t.Hour % 12 == 0 ? 12 : t.Hour % 12;

    private static void AppendZone(StringBuilder b, TimeSpan offset, string element)
    {
        if (element[0] == 'Z' && offset == TimeSpan.Zero)
        {
            b.Append('Z');
            return;
        }
        var inv = CultureInfo.InvariantCulture;
        b.Append(offset < TimeSpan.Zero ? '-' : '+');
        var abs = offset.Duration();
        var colon = element.Contains(':', StringComparison.Ordinal);
        b.Append(abs.Hours.ToString("D2", inv));
        if (element.EndsWith("07", StringComparison.Ordinal))
        {
            return;
        }
        if (colon) b.Append(':');
        b.Append(abs.Minutes.ToString("D2", inv));
        if (element is "-07:00:00" or "-070000" or "Z07:00:00" or "Z070000")
        {
            if (colon) b.Append(':');
            b.Append(abs.Seconds.ToString("D2", inv));
        }
    }
}
