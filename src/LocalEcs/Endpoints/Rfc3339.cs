using System.Globalization;

namespace Mirage.LocalEcs.Endpoints;

/// <summary>Go's RFC3339Nano in UTC: fractional seconds without trailing zeros, "Z" suffix.</summary>
internal static class Rfc3339
{
    public static string? Format(DateTimeOffset? value) => value is { } v ? Format(v) : null;

    public static string Format(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
        return text + "Z";
    }

    /// <summary>Second precision, as the credentials endpoint's Expiration.</summary>
    public static string FormatSeconds(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
