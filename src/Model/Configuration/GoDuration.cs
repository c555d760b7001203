using System.Globalization;
using System.Text;

namespace Mirage.Model.Configuration;

/// <summary>
/// Go's <c>time.ParseDuration</c> and <c>Duration.String</c> (the syntax of mirage-ecs duration keys such as
/// <c>network.proxy_timeout</c>): a sequence of decimal numbers, each with an optional fraction and a unit
/// (<c>ns</c>, <c>us</c>/<c>µs</c>, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>), e.g. <c>30s</c>, <c>1h30m</c>, <c>1.5s</c>.
/// TimeSpan holds 100 ns ticks, so anything finer is truncated.
/// </summary>
public static class GoDuration
{
    private const long NanosPerTick = 100;

    /// <summary>Parses Go duration syntax. A lone <c>0</c> is allowed (as in Go); other unit-less numbers are not.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s is "0")
        {
            return true;
        }
        if (s.IsEmpty)
        {
            return false;
        }

        decimal totalNanos = 0;
        while (!s.IsEmpty)
        {
            var digits = 0;
            while (digits < s.Length && (char.IsAsciiDigit(s[digits]) || s[digits] == '.'))
            {
                digits++;
            }
            var number = s[..digits];
            if (number.IsEmpty || number is "." || number.IndexOf('.') != number.LastIndexOf('.'))
            {
                return false;
            }
            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }
            s = s[digits..];
            var unitLength = 0;
            while (unitLength < s.Length && !char.IsAsciiDigit(s[unitLength]) && s[unitLength] != '.')
            {
                unitLength++;
            }
            decimal? unitNanos = s[..unitLength] switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                _ => null,
            };
            if (unitNanos is not decimal unit)
            {
                return false;
            }
            s = s[unitLength..];
            try
            {
                totalNanos += value * unit;
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        // Go's limit is int64 nanoseconds (about 292 years).
        if (totalNanos > long.MaxValue)
        {
            return false;
        }
        var ticks = (long)(totalNanos / NanosPerTick);
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>Go's <c>Duration.String</c>: <c>0s</c>, <c>500ms</c>, <c>1.5s</c>, <c>1h30m0s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }
        var sign = duration < TimeSpan.Zero ? "-" : "";
        var nanos = (ulong)Math.Abs((decimal)duration.Ticks) * NanosPerTick;
        if (nanos < 1_000_000_000)
        {
            return nanos switch
            {
                < 1_000 => $"{sign}{nanos}ns",
                < 1_000_000 => sign + Fraction(nanos, 1_000) + "µs",
                _ => sign + Fraction(nanos, 1_000_000) + "ms",
            };
        }

        var builder = new StringBuilder(sign);
        var hours = nanos / 3_600_000_000_000;
        var minutes = nanos / 60_000_000_000 % 60;
        var secondsNanos = nanos % 60_000_000_000;
        if (hours > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }
        if (hours > 0 || minutes > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{minutes}m");
        }
        builder.Append(Fraction(secondsNanos, 1_000_000_000)).Append('s');
        return builder.ToString();
    }

    private static string Fraction(ulong value, ulong unit)
    {
        var whole = value / unit;
        var rest = value % unit;
        if (rest == 0)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }
        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        var fraction = rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return $"{whole.ToString(CultureInfo.InvariantCulture)}.{fraction}";
    }
}
