using System.Collections;
using System.Globalization;
using System.Text;
using Mirage.GoTemplates.Execution;
using Mirage.GoTemplates.Values;

namespace Mirage.GoTemplates.Escaping;

/// <summary>
/// html/template's escaping functions (html.go, js.go, url.go, css.go) and text/template's html/js/urlquery. Every
/// value is plain text here: Go's typed safe strings (template.HTML, template.URL…) are not offered, so nothing
/// bypasses escaping. "ZgotmplZ" is Go's marker for a value refused by a filter.
/// </summary>
internal static class Escapers
{
    public const string FilterFailsafe = "ZgotmplZ";

    public static string Apply(EscaperKind kind, object? value) => kind switch
    {
        EscaperKind.JsVal => JsValEscaper(value),
        _ => ApplyToString(kind, Stringify(value)),
    };

    private static string ApplyToString(EscaperKind kind, string s) => kind switch
    {
        EscaperKind.Html or EscaperKind.Rcdata or EscaperKind.Attr => HtmlReplace(s, noSpace: false),
        EscaperKind.NoSpace => s.Length == 0 ? FilterFailsafe : HtmlReplace(s, noSpace: true),
        EscaperKind.HtmlNameFilter => HtmlNameFilter(s),
        EscaperKind.Comment => "",
        EscaperKind.UrlFilter => UrlFilter(s),
        EscaperKind.UrlNormalizer => ProcessUrl(s, normalize: true),
        EscaperKind.UrlEscaper => ProcessUrl(s, normalize: false),
        EscaperKind.JsStr => JsStrEscape(s, regexp: false, templateLiteral: false),
        EscaperKind.JsRegexp => s.Length == 0 ? "(?:)" : JsStrEscape(s, regexp: true, templateLiteral: false),
        EscaperKind.JsTmplLit => JsStrEscape(s, regexp: false, templateLiteral: true),
        EscaperKind.Css => CssEscaper(s),
        EscaperKind.CssValueFilter => CssValueFilter(s),
        _ => throw new InvalidOperationException($"escaper {kind} needs the raw value"),
    };

    /// <summary>html/template's stringify: nil and a missing value print as nothing, the rest as fmt's %v.</summary>
    public static string Stringify(object? value) => value is null or NoValue ? "" : GoValues.Print(value);

    private static string HtmlReplace(string s, bool noSpace)
    {
        StringBuilder? b = null;
        var written = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var replacement = s[i] switch
            {
                '\0' => "\uFFFD",
                '"' => "&#34;",
                '&' => "&amp;",
                '\'' => "&#39;",
                '+' => "&#43;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\t' when noSpace => "&#9;",
                '\n' when noSpace => "&#10;",
                '\v' when noSpace => "&#11;",
                '\f' when noSpace => "&#12;",
                '\r' when noSpace => "&#13;",
                ' ' when noSpace => "&#32;",
                '=' when noSpace => "&#61;",
                '`' when noSpace => "&#96;",
                _ => null,
            };
            if (replacement is null)
            {
                continue;
            }
            b ??= new StringBuilder(s.Length + 16);
            b.Append(s, written, i - written).Append(replacement);
            written = i + 1;
        }
        return b is null ? s : b.Append(s, written, s.Length - written).ToString();
    }

    private static string HtmlNameFilter(string s)
    {
        if (s.Length == 0)
        {
            return FilterFailsafe;
        }
        s = s.ToLowerInvariant();
        if (AttributeTypes.Of(s) != AttributeType.Plain)
        {
            return FilterFailsafe;
        }
        return s.All(char.IsAsciiLetterOrDigit) ? s : FilterFailsafe;
    }

    /// <summary>A URL whose scheme is not http, https or mailto becomes "#ZgotmplZ" (javascript: and friends).</summary>
    private static string UrlFilter(string s)
    {
        var colon = s.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && !s.AsSpan(0, colon).Contains('/'))
        {
            var scheme = s[..colon];
            if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase) &&
                !scheme.Equals("mailto", StringComparison.OrdinalIgnoreCase))
            {
                return "#" + FilterFailsafe;
            }
        }
        return s;
    }

    private static string ProcessUrl(string s, bool normalize)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        var b = new StringBuilder(bytes.Length + 16);
        for (var i = 0; i < bytes.Length; i++)
        {
            var c = (char)bytes[i];
            var keep = c switch
            {
                '!' or '#' or '$' or '&' or '*' or '+' or ',' or '/' or ':' or ';' or '=' or '?' or '@' or '[' or ']' => normalize,
                '-' or '.' or '_' or '~' => true,
                '%' => normalize && i + 2 < bytes.Length && char.IsAsciiHexDigit((char)bytes[i + 1]) && char.IsAsciiHexDigit((char)bytes[i + 2]),
                _ => char.IsAsciiLetterOrDigit(c),
            };
            if (keep)
            {
                b.Append(c);
            }
            else
            {
                b.Append('%').Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
            }
        }
        return b.ToString();
    }

    private static string JsStrEscape(string s, bool regexp, bool templateLiteral)
    {
        var b = new StringBuilder(s.Length + 16);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\0': b.Append("\\u0000"); break;
                case '\t': b.Append("\\t"); break;
                case '\n': b.Append("\\n"); break;
                case '\v': b.Append("\\u000b"); break;
                case '\f': b.Append("\\f"); break;
                case '\r': b.Append("\\r"); break;
                case '"': b.Append("\\u0022"); break;
                case '&': b.Append("\\u0026"); break;
                case '\'': b.Append("\\u0027"); break;
                case '`': b.Append("\\u0060"); break;
                case '+': b.Append("\\u002b"); break;
                case '/': b.Append("\\/"); break;
                case '<': b.Append("\\u003c"); break;
                case '>': b.Append("\\u003e"); break;
                case '\\': b.Append("\\\\"); break;
                case '$' when templateLiteral: b.Append("\\u0024"); break;
                case '{' when templateLiteral: b.Append("\\u007b"); break;
                case '}' when templateLiteral: b.Append("\\u007d"); break;
                case '$' or '(' or ')' or '*' or '-' or '.' or '?' or '[' or ']' or '^' or '{' or '|' or '}' when regexp:
                    b.Append('\\').Append(c);
                    break;
                case '\u2028': b.Append("\\u2028"); break;
                case '\u2029': b.Append("\\u2029"); break;
                case < ' ': b.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: b.Append(c); break;
            }
        }
        return b.ToString();
    }

    /// <summary>
    /// A value in JavaScript: JSON (strings quoted, &lt; &gt; &amp; as \u escapes), with spaces around a value that
    /// starts or ends like an identifier or number, so <c>x={{.}}in</c> cannot merge tokens.
    /// </summary>
    private static string JsValEscaper(object? value)
    {
        var b = new StringBuilder();
        WriteJson(b, value is NoValue ? null : value);
        var json = b.ToString();
        if (json.Length > 0 && (IsJsIdentPart(json[0]) || IsJsIdentPart(json[^1])))
        {
            json = " " + json + " ";
        }
        return json;
    }

    private static bool IsJsIdentPart(char c) => c is '$' or '_' || char.IsAsciiLetterOrDigit(c);

    private static void WriteJson(StringBuilder b, object? value)
    {
        switch (GoValues.Normalize(value))
        {
            case null or NoValue:
                b.Append("null");
                break;
            case string s:
                WriteJsonString(b, s);
                break;
            case bool x:
                b.Append(x ? "true" : "false");
                break;
            case long l:
                b.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                b.Append(GoValues.FormatFloat(d));
                break;
            case GoTime t:
                WriteJsonString(b, t.Value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture));
                break;
            case IDictionary map:
                b.Append('{');
                var first = true;
                foreach (var key in GoValues.SortedKeys(map))
                {
                    if (!first) b.Append(',');
                    first = false;
                    WriteJsonString(b, key);
                    b.Append(':');
                    WriteJson(b, map[key]);
                }
                b.Append('}');
                break;
            case GoStruct st:
                b.Append('{');
                var firstField = true;
                foreach (var (name, field) in st.Fields)
                {
                    if (!firstField) b.Append(',');
                    firstField = false;
                    WriteJsonString(b, name);
                    b.Append(':');
                    WriteJson(b, field);
                }
                b.Append('}');
                break;
            case IEnumerable list:
                b.Append('[');
                var firstItem = true;
                foreach (var item in list)
                {
                    if (!firstItem) b.Append(',');
                    firstItem = false;
                    WriteJson(b, item);
                }
                b.Append(']');
                break;
            case var other:
                WriteJsonString(b, GoValues.Print(other));
                break;
        }
    }

    private static void WriteJsonString(StringBuilder b, string s)
    {
        b.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case '<': b.Append("\\u003c"); break;
                case '>': b.Append("\\u003e"); break;
                case '&': b.Append("\\u0026"); break;
                case '\u2028': b.Append("\\u2028"); break;
                case '\u2029': b.Append("\\u2029"); break;
                case < ' ': b.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: b.Append(c); break;
            }
        }
        b.Append('"');
    }

    private static string CssEscaper(string s)
    {
        var b = new StringBuilder(s.Length + 16);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var replacement = c switch
            {
                '\0' => "\\0",
                '\t' => "\\9",
                '\n' => "\\a",
                '\f' => "\\c",
                '\r' => "\\d",
                '"' => "\\22",
                '&' => "\\26",
                '\'' => "\\27",
                '(' => "\\28",
                ')' => "\\29",
                '+' => "\\2b",
                '/' => "\\2f",
                ':' => "\\3a",
                ';' => "\\3b",
                '<' => "\\3c",
                '>' => "\\3e",
                '\\' => "\\\\",
                '{' => "\\7b",
                '}' => "\\7d",
                _ => null,
            };
            if (replacement is null)
            {
                b.Append(c);
                continue;
            }
            b.Append(replacement);
            // A hex digit or space after a hex escape would be read as part of it.
            if (replacement != "\\\\" && i + 1 < s.Length && (char.IsAsciiHexDigit(s[i + 1]) || s[i + 1] is ' ' or '\t' or '\n' or '\f' or '\r'))
            {
                b.Append(' ');
            }
        }
        return b.ToString();
    }

    private static string CssValueFilter(string s)
    {
        var id = new StringBuilder();
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '\0' or '"' or '\'' or '(' or ')' or '/' or ';' or '@' or '[' or '\\' or ']' or '`' or '{' or '}' or '<' or '>':
                    return FilterFailsafe;
                case '-' when i != 0 && s[i - 1] == '-':
                    return FilterFailsafe;
                default:
                    if (c < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                    {
                        id.Append(char.ToLowerInvariant(c));
                    }
                    break;
            }
        }
        var ids = id.ToString();
        return ids.Contains("expression", StringComparison.Ordinal) || ids.Contains("mozbinding", StringComparison.Ordinal) ? FilterFailsafe : s;
    }

    /// <summary>text/template's html function (template.HTMLEscapeString).</summary>
    public static string HtmlEscapeString(string s)
    {
        var b = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            b.Append(c switch
            {
                '\0' => "\uFFFD",
                '"' => "&#34;",
                '\'' => "&#39;",
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => c.ToString(),
            });
        }
        return b.ToString();
    }

    /// <summary>text/template's js function (template.JSEscapeString).</summary>
    public static string JsEscapeString(string s)
    {
        var b = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': b.Append("\\\\"); break;
                case '\'': b.Append("\\'"); break;
                case '"': b.Append("\\\""); break;
                case '<': b.Append("\\u003C"); break;
                case '>': b.Append("\\u003E"); break;
                case '&': b.Append("\\u0026"); break;
                case '=': b.Append("\\u003D"); break;
                case < ' ': b.Append("\\u00").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture)); break;
                default: b.Append(c); break;
            }
        }
        return b.ToString();
    }

    /// <summary>url.QueryEscape, which urlquery uses.</summary>
    public static string QueryEscape(string s)
    {
        var b = new StringBuilder(s.Length);
        foreach (var x in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)x;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                b.Append(c);
            }
            else if (c == ' ')
            {
                b.Append('+');
            }
            else
            {
                b.Append('%').Append(x.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return b.ToString();
    }
}
