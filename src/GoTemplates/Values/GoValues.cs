using System.Collections;
using System.Globalization;
using System.Text;

namespace Mirage.GoTemplates.Values;

/// <summary>
/// How templates see .NET values, Go's way: integers are int64 (<see cref="long"/>), floats <see cref="double"/>,
/// <see cref="IList"/> a slice, <see cref="IDictionary"/> with string keys a map (ranged in key order),
/// <see cref="GoStruct"/> a struct, <see cref="GoTime"/> (or a DateTimeOffset) a time.Time, null nil.
/// </summary>
public static class GoValues
{
    /// <summary>The canonical form: every integer type as long, float as double, DateTimeOffset as GoTime.</summary>
    public static object? Normalize(object? value) => value switch
    {
        null or string or bool or long or double => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        sbyte sb => (long)sb,
        ushort us => (long)us,
        uint ui => (long)ui,
        ulong ul => (long)ul,
        float f => (double)f,
        decimal m => (double)m,
        char c => (long)c,
        DateTimeOffset t => new GoTime(t),
        DateTime d => new GoTime(new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc))),
        Enum e => e.ToString(),
        _ => value,
    };

    /// <summary>Go's truth: false, 0, nil, an empty string, slice or map are false; structs and times are true.</summary>
    public static bool IsTrue(object? value) => Normalize(value) switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        ICollection c => c.Count > 0,
        _ => true,
    };

    /// <summary>fmt's %v.</summary>
    public static string Print(object? value)
    {
        var b = new StringBuilder();
        Print(b, value);
        return b.ToString();
    }

    internal static void Print(StringBuilder b, object? value)
    {
        switch (Normalize(value))
        {
            case null:
                b.Append("<nil>");
                break;
            case string s:
                b.Append(s);
                break;
            case bool x:
                b.Append(x ? "true" : "false");
                break;
            case long l:
                b.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                b.Append(FormatFloat(d));
                break;
            case GoTime t:
                b.Append(t.ToString());
                break;
            case IDictionary map:
                b.Append("map[");
                var first = true;
                foreach (var key in SortedKeys(map))
                {
                    if (!first) b.Append(' ');
                    first = false;
                    b.Append(key).Append(':');
                    Print(b, map[key]);
                }
                b.Append(']');
                break;
            case GoStruct st:
                b.Append('{');
                var firstField = true;
                foreach (var field in st.Fields.Values)
                {
                    if (!firstField) b.Append(' ');
                    firstField = false;
                    Print(b, field);
                }
                b.Append('}');
                break;
            case IEnumerable list:
                b.Append('[');
                var firstItem = true;
                foreach (var item in list)
                {
                    if (!firstItem) b.Append(' ');
                    firstItem = false;
                    Print(b, item);
                }
                b.Append(']');
                break;
            case var other:
                b.Append(Convert.ToString(other, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>strconv.FormatFloat(f, 'g', -1, 64), which %v uses: shortest form, exponent past 1e21.</summary>
    internal static string FormatFloat(double d)
    {
        if (double.IsPositiveInfinity(d)) return "+Inf";
        if (double.IsNegativeInfinity(d)) return "-Inf";
        if (double.IsNaN(d)) return "NaN";
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var exp = d == 0 ? 0 : (int)Math.Floor(Math.Log10(Math.Abs(d)));
        if (exp < -4 || exp >= 21)
        {
            var e = d.ToString("E16", CultureInfo.InvariantCulture);
            var mantissa = double.Parse(e[..e.IndexOf('E')], CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
            var power = int.Parse(e[(e.IndexOf('E') + 1)..], CultureInfo.InvariantCulture);
            return $"{mantissa}e{(power < 0 ? "-" : "+")}{Math.Abs(power):D2}";
        }
        return r.Contains('E', StringComparison.Ordinal) ? d.ToString("F" + Math.Max(0, -exp + 15), CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.') : r;
    }

    /// <summary>A map's keys as Go's range and fmt order them.</summary>
    internal static IEnumerable<string> SortedKeys(IDictionary map) =>
        map.Keys.Cast<object>().Select(k => Convert.ToString(k, CultureInfo.InvariantCulture) ?? "").Order(StringComparer.Ordinal);

    /// <summary>The value's Go kind name, for error messages.</summary>
    internal static string KindOf(object? value) => Normalize(value) switch
    {
        null => "nil",
        string => "string",
        bool => "bool",
        long => "int",
        double => "float64",
        GoTime => "time.Time",
        GoStruct s => s.TypeName,
        IDictionary => "map",
        IList => "slice",
        var other => other.GetType().Name,
    };
}
