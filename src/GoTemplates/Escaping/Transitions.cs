using System.Net;

namespace Mirage.GoTemplates.Escaping;

/// <summary>
/// html/template's transition.go: how a run of template text moves the context (tags, attributes and their
/// quoting, comments, script strings/regexps/comments, CSS strings and url(…)). Each step consumes a prefix of the
/// text and returns the context after it.
/// </summary>
internal static class Transitions
{
    private static readonly HashSet<string> RegexpPrecederKeywords =
        ["break", "case", "continue", "delete", "do", "else", "finally", "in", "instanceof", "return", "throw", "try", "typeof", "void"];

    /// <summary>Go's contextAfterText: the context after some prefix of <paramref name="s"/>, and that prefix's length.</summary>
    public static (EscapeContext Context, int Consumed) AfterText(EscapeContext c, string s)
    {
        if (c.Delimiter == Delimiter.None)
        {
            var (c1, i) = SpecialTagEnd(c, s);
            if (i == 0)
            {
                return (c1, 0);
            }
            return Step(c, s[..i]);
        }
        var end = c.Delimiter switch
        {
            Delimiter.DoubleQuote => s.IndexOf('"', StringComparison.Ordinal),
            Delimiter.SingleQuote => s.IndexOf('\'', StringComparison.Ordinal),
            _ => s.AsSpan().IndexOfAny(" \t\n\f\r>"),
        };
        if (end < 0)
        {
            end = s.Length;
        }
        if (c.Delimiter == Delimiter.SpaceOrTagEnd && s.AsSpan(0, end).IndexOfAny("\"'<=`") is var bad and >= 0)
        {
            return (EscapeContext.Failed($"\"{s[bad]}\" in unquoted attr: \"{s[..end]}\": quote the attribute's value"), s.Length);
        }
        if (end == s.Length)
        {
            // Still inside the attribute: decode entities so non-HTML rules see what the browser will.
            var decoded = WebUtility.HtmlDecode(s);
            while (decoded.Length > 0)
            {
                var (c1, n) = Step(c, decoded);
                c = c1;
                decoded = decoded[n..];
                if (c.State == EscapeState.Error)
                {
                    break;
                }
            }
            return (c, s.Length);
        }
        var element = c.Element;
        if (c.State == EscapeState.Attr && c.Element == ElementKind.Script && c.Attr == AttrKind.ScriptType && !IsJsType(s[..end]))
        {
            element = ElementKind.None;
        }
        if (c.Delimiter != Delimiter.SpaceOrTagEnd)
        {
            end++;
        }
        return (new EscapeContext(EscapeState.Tag, Element: element), end);
    }

    private static (EscapeContext, int) Step(EscapeContext c, string s) => c.State switch
    {
        EscapeState.Text => TText(c, s),
        EscapeState.Tag => TTag(c, s),
        EscapeState.AttrName => TAttrName(c, s),
        EscapeState.AfterName => TAfterName(c, s),
        EscapeState.BeforeValue => TBeforeValue(c, s),
        EscapeState.HtmlComment => s.IndexOf("-->", StringComparison.Ordinal) is var i and >= 0 ? (EscapeContext.Text, i + 3) : (c, s.Length),
        EscapeState.Rcdata => SpecialTagEnd(c, s),
        EscapeState.Attr => (c, s.Length),
        EscapeState.Url => TUrl(c, s),
        EscapeState.Js => TJs(c, s),
        EscapeState.JsDqStr or EscapeState.JsSqStr or EscapeState.JsRegexp => TJsDelimited(c, s),
        EscapeState.JsTmplLit => TJsTemplateLiteral(c, s),
        EscapeState.JsBlockComment or EscapeState.CssBlockComment => TBlockComment(c, s),
        EscapeState.JsLineComment or EscapeState.CssLineComment => TLineComment(c, s),
        EscapeState.Css => TCss(c, s),
        EscapeState.CssDqStr or EscapeState.CssSqStr or EscapeState.CssDqUrl or EscapeState.CssSqUrl or EscapeState.CssUrl => TCssString(c, s),
        _ => (c, s.Length),
    };

    private static (EscapeContext, int) TText(EscapeContext c, string s)
    {
        var k = 0;
        while (true)
        {
            var i = s.IndexOf('<', k);
            if (i < 0 || i + 1 == s.Length)
            {
                return (c, s.Length);
            }
            if (string.CompareOrdinal(s, i, "<!--", 0, 4) == 0)
            {
                return (new EscapeContext(EscapeState.HtmlComment), i + 4);
            }
            i++;
            var end = false;
            if (s[i] == '/')
            {
                if (i + 1 == s.Length)
                {
                    return (c, s.Length);
                }
                end = true;
                i++;
            }
            var (j, element) = EatTagName(s, i);
            if (j != i)
            {
                return (new EscapeContext(EscapeState.Tag, Element: end ? ElementKind.None : element), j);
            }
            k = j;
        }
    }

    private static (EscapeContext, int) TTag(EscapeContext c, string s)
    {
        var i = EatWhiteSpace(s, 0);
        if (i == s.Length)
        {
            return (c, s.Length);
        }
        if (s[i] == '>')
        {
            return (new EscapeContext(ContentState(c.Element), Element: c.Element), i + 1);
        }
        var (j, error) = EatAttrName(s, i);
        if (error is not null)
        {
            return (EscapeContext.Failed(error), s.Length);
        }
        if (i == j)
        {
            return (EscapeContext.Failed($"expected space, attr name, or end of tag, but got \"{Clip(s[i..])}\""), s.Length);
        }
        var name = s[i..j].ToLowerInvariant();
        var attr = c.Element == ElementKind.Script && name == "type"
            ? AttrKind.ScriptType
            : AttributeTypes.Of(name) switch
            {
                AttributeType.Url => AttrKind.Url,
                AttributeType.Css => AttrKind.Style,
                AttributeType.Js => AttrKind.Script,
                _ => AttrKind.None,
            };
        return (new EscapeContext(j == s.Length ? EscapeState.AttrName : EscapeState.AfterName, Element: c.Element, Attr: attr), j);
    }

    private static (EscapeContext, int) TAttrName(EscapeContext c, string s)
    {
        var (i, error) = EatAttrName(s, 0);
        if (error is not null)
        {
            return (EscapeContext.Failed(error), s.Length);
        }
        return (i != s.Length ? c with { State = EscapeState.AfterName } : c, i);
    }

    private static (EscapeContext, int) TAfterName(EscapeContext c, string s)
    {
        var i = EatWhiteSpace(s, 0);
        if (i == s.Length)
        {
            return (c, s.Length);
        }
        if (s[i] != '=')
        {
            return (c with { State = EscapeState.Tag }, i);
        }
        return (c with { State = EscapeState.BeforeValue }, i + 1);
    }

    public static EscapeState AttrStartState(AttrKind attr) => attr switch
    {
        AttrKind.Script => EscapeState.Js,
        AttrKind.Style => EscapeState.Css,
        AttrKind.Url => EscapeState.Url,
        _ => EscapeState.Attr,
    };

    private static (EscapeContext, int) TBeforeValue(EscapeContext c, string s)
    {
        var i = EatWhiteSpace(s, 0);
        if (i == s.Length)
        {
            return (c, s.Length);
        }
        var delimiter = Delimiter.SpaceOrTagEnd;
        switch (s[i])
        {
            case '\'':
                delimiter = Delimiter.SingleQuote;
                i++;
                break;
            case '"':
                delimiter = Delimiter.DoubleQuote;
                i++;
                break;
        }
        return (c with { State = AttrStartState(c.Attr), Delimiter = delimiter }, i);
    }

    private static (EscapeContext, int) SpecialTagEnd(EscapeContext c, string s)
    {
        if (c.Element != ElementKind.None)
        {
            if (c.Element == ElementKind.Script && (c.IsInScriptLiteral || c.IsComment))
            {
                return (c, s.Length);
            }
            var tag = c.Element switch
            {
                ElementKind.Script => "script",
                ElementKind.Style => "style",
                ElementKind.Textarea => "textarea",
                _ => "title",
            };
            if (IndexTagEnd(s, tag) is var i and >= 0)
            {
                return (EscapeContext.Text, i);
            }
        }
        return (c, s.Length);
    }

    private static int IndexTagEnd(string s, string tag)
    {
        var from = 0;
        while (true)
        {
            var i = s.IndexOf("</", from, StringComparison.Ordinal);
            if (i < 0)
            {
                return -1;
            }
            var after = i + 2;
            if (after + tag.Length <= s.Length && string.Compare(s, after, tag, 0, tag.Length, StringComparison.OrdinalIgnoreCase) == 0 &&
                after + tag.Length < s.Length && s[after + tag.Length] is '>' or ' ' or '\t' or '\n' or '\f' or '/')
            {
                return i;
            }
            from = after;
        }
    }

    private static (EscapeContext, int) TUrl(EscapeContext c, string s)
    {
        if (s.AsSpan().IndexOfAny("#?") >= 0)
        {
            return (c with { UrlPart = UrlPart.QueryOrFragment }, s.Length);
        }
        if (s.Length != EatWhiteSpace(s, 0) && c.UrlPart == UrlPart.None)
        {
            return (c with { UrlPart = UrlPart.PreQuery }, s.Length);
        }
        return (c, s.Length);
    }

    private static (EscapeContext, int) TJs(EscapeContext c, string s)
    {
        var i = s.AsSpan().IndexOfAny("\"`'/");
        if (i < 0)
        {
            return (c with { JsContext = NextJsContext(s, c.JsContext) }, s.Length);
        }
        c = c with { JsContext = NextJsContext(s[..i], c.JsContext) };
        switch (s[i])
        {
            case '"':
                c = c with { State = EscapeState.JsDqStr, JsContext = JsContext.Regexp };
                break;
            case '\'':
                c = c with { State = EscapeState.JsSqStr, JsContext = JsContext.Regexp };
                break;
            case '`':
                c = c with { State = EscapeState.JsTmplLit, JsContext = JsContext.Regexp };
                break;
            default:
                if (i + 1 < s.Length && s[i + 1] == '/')
                {
                    c = c with { State = EscapeState.JsLineComment };
                    i++;
                }
                else if (i + 1 < s.Length && s[i + 1] == '*')
                {
                    c = c with { State = EscapeState.JsBlockComment };
                    i++;
                }
                else if (c.JsContext == JsContext.Regexp)
                {
                    c = c with { State = EscapeState.JsRegexp };
                }
                else if (c.JsContext == JsContext.DivOp)
                {
                    c = c with { JsContext = JsContext.Regexp };
                }
                else
                {
                    return (EscapeContext.Failed($"'/' could start a division or regexp: \"{Clip(s[i..])}\": put a space or parentheses around it"), s.Length);
                }
                break;
        }
        return (c, i + 1);
    }

    private static (EscapeContext, int) TJsDelimited(EscapeContext c, string s)
    {
        var specials = c.State switch
        {
            EscapeState.JsSqStr => "\\'",
            EscapeState.JsRegexp => "\\/[]",
            _ => "\\\"",
        };
        var k = 0;
        var inCharset = false;
        while (true)
        {
            var rel = s.AsSpan(k).IndexOfAny(specials);
            if (rel < 0)
            {
                break;
            }
            var i = k + rel;
            switch (s[i])
            {
                case '\\':
                    i++;
                    if (i == s.Length)
                    {
                        return (EscapeContext.Failed($"unfinished escape sequence in JS string: \"{Clip(s)}\""), s.Length);
                    }
                    break;
                case '[':
                    inCharset = true;
                    break;
                case ']':
                    inCharset = false;
                    break;
                default:
                    if (!inCharset)
                    {
                        return (c with { State = EscapeState.Js, JsContext = JsContext.DivOp }, i + 1);
                    }
                    break;
            }
            k = i + 1;
        }
        if (inCharset)
        {
            return (EscapeContext.Failed($"unfinished JS regexp charset: \"{Clip(s)}\""), s.Length);
        }
        return (c, s.Length);
    }

    // Go also tracks ${…} inside template literals; here the literal runs to its closing backtick.
    private static (EscapeContext, int) TJsTemplateLiteral(EscapeContext c, string s)
    {
        var k = 0;
        while (true)
        {
            var rel = s.AsSpan(k).IndexOfAny("\\`");
            if (rel < 0)
            {
                return (c, s.Length);
            }
            var i = k + rel;
            if (s[i] == '\\')
            {
                if (i + 1 == s.Length)
                {
                    return (EscapeContext.Failed($"unfinished escape sequence in JS string: \"{Clip(s)}\""), s.Length);
                }
                k = i + 2;
                continue;
            }
            return (c with { State = EscapeState.Js, JsContext = JsContext.DivOp }, i + 1);
        }
    }

    private static (EscapeContext, int) TBlockComment(EscapeContext c, string s)
    {
        var i = s.IndexOf("*/", StringComparison.Ordinal);
        if (i < 0)
        {
            return (c, s.Length);
        }
        return (c with { State = c.State == EscapeState.JsBlockComment ? EscapeState.Js : EscapeState.Css }, i + 2);
    }

    private static (EscapeContext, int) TLineComment(EscapeContext c, string s)
    {
        var js = c.State == EscapeState.JsLineComment;
        var i = js ? s.AsSpan().IndexOfAny("\n\r\u2028\u2029") : s.AsSpan().IndexOfAny("\n\f\r");
        if (i < 0)
        {
            return (c, s.Length);
        }
        return (c with { State = js ? EscapeState.Js : EscapeState.Css }, i);
    }

    private static (EscapeContext, int) TCss(EscapeContext c, string s)
    {
        var k = 0;
        while (true)
        {
            var rel = s.AsSpan(k).IndexOfAny("(\"'/");
            if (rel < 0)
            {
                return (c, s.Length);
            }
            var i = k + rel;
            switch (s[i])
            {
                case '(':
                    var before = s[..i].TrimEnd('\t', '\n', '\f', '\r', ' ');
                    if (before.EndsWith("url", StringComparison.OrdinalIgnoreCase) && (before.Length == 3 || !IsCssNameChar(before[^4])))
                    {
                        var j = s.Length - s[(i + 1)..].TrimStart('\t', '\n', '\f', '\r', ' ').Length;
                        if (j != s.Length && s[j] == '"')
                        {
                            return (c with { State = EscapeState.CssDqUrl }, j + 1);
                        }
                        if (j != s.Length && s[j] == '\'')
                        {
                            return (c with { State = EscapeState.CssSqUrl }, j + 1);
                        }
                        return (c with { State = EscapeState.CssUrl }, j);
                    }
                    break;
                case '/':
                    if (i + 1 < s.Length && s[i + 1] == '/')
                    {
                        return (c with { State = EscapeState.CssLineComment }, i + 2);
                    }
                    if (i + 1 < s.Length && s[i + 1] == '*')
                    {
                        return (c with { State = EscapeState.CssBlockComment }, i + 2);
                    }
                    break;
                case '"':
                    return (c with { State = EscapeState.CssDqStr }, i + 1);
                case '\'':
                    return (c with { State = EscapeState.CssSqStr }, i + 1);
            }
            k = i + 1;
        }
    }

    private static (EscapeContext, int) TCssString(EscapeContext c, string s)
    {
        var endAndEscape = c.State switch
        {
            EscapeState.CssDqStr or EscapeState.CssDqUrl => "\\\"",
            EscapeState.CssSqStr or EscapeState.CssSqUrl => "\\'",
            _ => "\\\t\n\f\r )",
        };
        var k = 0;
        while (true)
        {
            var rel = s.AsSpan(k).IndexOfAny(endAndEscape);
            if (rel < 0)
            {
                var (c1, _) = TUrl(c, s[k..]);
                return (c1, s.Length);
            }
            var i = k + rel;
            if (s[i] == '\\')
            {
                i++;
                if (i == s.Length)
                {
                    return (EscapeContext.Failed($"unfinished escape sequence in CSS string: \"{Clip(s)}\""), s.Length);
                }
            }
            else
            {
                return (c with { State = EscapeState.Css }, i + 1);
            }
            (c, _) = TUrl(c, s[..(i + 1)]);
            k = i + 1;
        }
    }

    /// <summary>Go's nextJSCtx: after this JS, does a '/' start a regexp or divide?</summary>
    private static JsContext NextJsContext(string s, JsContext preceding)
    {
        s = s.TrimEnd('\t', '\n', '\f', '\r', ' ', '\u2028', '\u2029');
        if (s.Length == 0)
        {
            return preceding;
        }
        var c = s[^1];
        switch (c)
        {
            case '+' or '-':
                var start = s.Length - 1;
                while (start > 0 && s[start - 1] == c)
                {
                    start--;
                }
                return ((s.Length - start) & 1) == 1 ? JsContext.Regexp : JsContext.DivOp;
            case '.':
                return s.Length != 1 && char.IsAsciiDigit(s[^2]) ? JsContext.DivOp : JsContext.Regexp;
            case ',' or '<' or '>' or '=' or '*' or '%' or '&' or '|' or '^' or '?' or '!' or '~' or '(' or '[' or ':' or ';' or '{' or '}':
                return JsContext.Regexp;
            default:
                var j = s.Length;
                while (j > 0 && (char.IsAsciiLetterOrDigit(s[j - 1]) || s[j - 1] is '_' or '$'))
                {
                    j--;
                }
                return RegexpPrecederKeywords.Contains(s[j..]) ? JsContext.Regexp : JsContext.DivOp;
        }
    }

    private static bool IsCssNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || c >= 0x80;

    private static bool IsJsType(string mimeType)
    {
        mimeType = mimeType.Split(';')[0].Trim().ToLowerInvariant();
        return mimeType is "" or "application/ecmascript" or "application/javascript" or "application/json" or "application/ld+json" or
            "application/x-ecmascript" or "application/x-javascript" or "module" or "text/ecmascript" or "text/javascript" or
            "text/javascript1.0" or "text/javascript1.1" or "text/javascript1.2" or "text/javascript1.3" or "text/javascript1.4" or
            "text/javascript1.5" or "text/jscript" or "text/livescript" or "text/x-ecmascript" or "text/x-javascript";
    }

    private static EscapeState ContentState(ElementKind element) => element switch
    {
        ElementKind.Script => EscapeState.Js,
        ElementKind.Style => EscapeState.Css,
        ElementKind.Textarea or ElementKind.Title => EscapeState.Rcdata,
        _ => EscapeState.Text,
    };

    private static (int, ElementKind) EatTagName(string s, int i)
    {
        if (i == s.Length || !char.IsAsciiLetter(s[i]))
        {
            return (i, ElementKind.None);
        }
        var j = i + 1;
        while (j < s.Length)
        {
            if (char.IsAsciiLetterOrDigit(s[j]))
            {
                j++;
                continue;
            }
            if (s[j] is ':' or '-' && j + 1 < s.Length && char.IsAsciiLetterOrDigit(s[j + 1]))
            {
                j += 2;
                continue;
            }
            break;
        }
        var element = s[i..j].ToLowerInvariant() switch
        {
            "script" => ElementKind.Script,
            "style" => ElementKind.Style,
            "textarea" => ElementKind.Textarea,
            "title" => ElementKind.Title,
            _ => ElementKind.None,
        };
        return (j, element);
    }

    private static (int, string?) EatAttrName(string s, int i)
    {
        for (var j = i; j < s.Length; j++)
        {
            switch (s[j])
            {
                case ' ' or '\t' or '\n' or '\f' or '\r' or '=' or '>':
                    return (j, null);
                case '\'' or '"' or '<':
                    return (-1, $"\"{s[j]}\" in attribute name: \"{Clip(s)}\"");
            }
        }
        return (s.Length, null);
    }

    private static int EatWhiteSpace(string s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or '\n' or '\f' or '\r')
        {
            i++;
        }
        return i;
    }

    private static string Clip(string s) => s.Length > 32 ? s[..32] : s;
}
