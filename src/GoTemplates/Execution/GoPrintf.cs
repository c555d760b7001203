using System.Globalization;
using System.Text;
using Mirage.GoTemplates.Values;

namespace Mirage.GoTemplates.Execution;

/// <summary>
/// fmt.Sprintf, Sprint and Sprintln for templates: verbs %v %s %d %q %x %X %t %f %g %e %c %% with the flags
/// <c>- + 0 space #</c>, width and precision; a verb that does not fit its argument prints Go's <c>%!d(string=x)</c>.
/// </summary>
internal static class GoPrintf
{
    public static string Sprint(IReadOnlyList<object?> args)
    {
        // fmt: a space between operands when neither is a string.
        var b = new StringBuilder();
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0 && args[i] is not string && args[i - 1] is not string)
            {
                b.Append(' ');
            }
            GoValues.Print(b, Plain(args[i]));
        }
        return b.ToString();
    }

    public static string Sprintln(IReadOnlyList<object?> args) =>
        string.Join(' ', args.Select(a => GoValues.Print(Plain(a)))) + "\n";

    private static object? Plain(object? value) => value is NoValue ? null : value;

    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var b = new StringBuilder();
        var argIndex = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%')
            {
                b.Append(c);
                continue;
            }
            if (++i >= format.Length)
            {
                b.Append("%!(NOVERB)");
                break;
            }
            bool minus = false, plus = false, zero = false, space = false, sharp = false;
            for (; i < format.Length; i++)
            {
                switch (format[i])
                {
                    case '-': minus = true; continue;
                    case '+': plus = true; continue;
                    case '0': zero = true; continue;
                    case ' ': space = true; continue;
                    case '#': sharp = true; continue;
                }
                break;
            }
            var width = ReadNumber(format, ref i);
            int? precision = null;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = ReadNumber(format, ref i) ?? 0;
            }
            if (i >= format.Length)
            {
                b.Append("%!(NOVERB)");
                break;
            }
            var verb = format[i];
            if (verb == '%')
            {
                b.Append('%');
                continue;
            }
            if (argIndex >= args.Count)
            {
                b.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }
            var arg = GoValues.Normalize(Plain(args[argIndex++]));
            var text = FormatOne(verb, arg, plus, space, sharp, precision);
            if (width is { } w && text.Length < w)
            {
                var numeric = arg is long or double && verb is not ('s' or 'q');
                text = minus ? text.PadRight(w)
                    : zero && numeric && text.Length > 0 && text[0] is '-' or '+' ? text[0] + text[1..].PadLeft(w - 1, '0')
                    : text.PadLeft(w, zero && !minus ? '0' : ' ');
            }
            b.Append(text);
        }
        if (argIndex < args.Count)
        {
            b.Append("%!(EXTRA ");
            b.Append(string.Join(", ", args.Skip(argIndex).Select(a => $"{GoValues.KindOf(a)}={GoValues.Print(Plain(a))}")));
            b.Append(')');
        }
        return b.ToString();
    }

    private static int? ReadNumber(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }
        return i > start ? int.Parse(s.AsSpan(start, i - start), CultureInfo.InvariantCulture) : null;
    }

    private static string FormatOne(char verb, object? arg, bool plus, bool space, bool sharp, int? precision)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (verb, arg)
        {
            case ('v', _):
                return arg is long l0 && plus && l0 >= 0 ? "+" + GoValues.Print(arg) : GoValues.Print(arg);
            case ('s', string s):
                return precision is { } p && p < s.Length ? s[..p] : s;
            case ('s', not null and not long and not double and not bool):
                return GoValues.Print(arg);
            case ('q', string s):
                return Quote(s);
            case ('q', long r):
                return "'" + char.ConvertFromUtf32((int)r) + "'";
            case ('d', long l):
                return (plus && l >= 0 ? "+" : space && l >= 0 ? " " : "") + l.ToString(inv);
            case ('t', bool t):
                return t ? "true" : "false";
            case ('c', long r):
                return char.ConvertFromUtf32((int)r);
            case ('x' or 'X', long l):
                var hex = Math.Abs(l).ToString(verb == 'x' ? "x" : "X", inv);
                return (l < 0 ? "-" : "") + (sharp ? (verb == 'x' ? "0x" : "0X") : "") + hex;
            case ('x' or 'X', string s):
                var bytes = Convert.ToHexString(Encoding.UTF8.GetBytes(s));
                return verb == 'x' ? bytes.ToLowerInvariant() : bytes;
            case ('f' or 'F', double d):
                return Signed(d.ToString("F" + (precision ?? 6), inv), d, plus);
            case ('f' or 'F', long l):
                return $"%!{verb}(int={l})";
            case ('e', double d):
                return Signed(GoExponent(d.ToString("e" + (precision ?? 6), inv)), d, plus);
            case ('g', double d):
                return Signed(precision is { } gp ? d.ToString("G" + gp, inv) : GoValues.FormatFloat(d), d, plus);
            default:
                return $"%!{verb}({GoValues.KindOf(arg)}={GoValues.Print(arg)})";
        }
    }

    private static string Signed(string text, double d, bool plus) => plus && d >= 0 ? "+" + text : text;

    // .NET writes e+006; Go writes e+06.
    private static string GoExponent(string text)
    {
        var e = text.IndexOf('e', StringComparison.Ordinal);
        var exponent = int.Parse(text.AsSpan(e + 2), CultureInfo.InvariantCulture);
        return $"{text[..(e + 2)]}{exponent:D2}";
    }

    /// <summary>strconv.Quote: a double-quoted Go string literal.</summary>
    public static string Quote(string s)
    {
        var b = new StringBuilder("\"");
        foreach (var rune in s.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case '\a': b.Append("\\a"); break;
                case '\b': b.Append("\\b"); break;
                case '\f': b.Append("\\f"); break;
                case '\v': b.Append("\\v"); break;
                case < 0x20 or 0x7f: b.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture)); break;
                default: b.Append(rune.ToString()); break;
            }
        }
        return b.Append('"').ToString();
    }
}
