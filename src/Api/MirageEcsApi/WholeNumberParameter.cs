using System.Globalization;

namespace Mirage.Api.MirageEcsApi;

/// <summary>
/// A whole-number request parameter read with its allowed range, so an out-of-range or malformed value is a 400 that
/// names the parameter and the range, never an overflow or a 500 further in.
/// </summary>
public static class WholeNumberParameter
{
    /// <summary>Null when <paramref name="text"/> is a whole number in [<paramref name="minimum"/>, <paramref name="maximum"/>]; otherwise what to fix.</summary>
    public static string? Problem(string name, string text, long minimum, long maximum, out long value)
    {
        var trimmed = text.Trim();
        if (long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= minimum && value <= maximum)
        {
            return null;
        }
        value = 0;
        return $"{name} must be a whole number from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}, not {Shorten(trimmed)}";
    }

    // The message echoes the value; a megabyte of digits would only bloat the answer and the log.
    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
