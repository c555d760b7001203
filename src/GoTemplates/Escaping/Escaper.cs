using System.Text;
using Mirage.GoTemplates.Parsing;

namespace Mirage.GoTemplates.Escaping;

/// <summary>
/// html/template's escape pass (escape.go), run once when the templates are loaded: it follows the HTML context
/// through every template reachable from the entry points and gives each action the escapers its context needs
/// (text, RCDATA, attribute names and values quoted or not, URLs by part, JavaScript values/strings/regexps, CSS),
/// strips HTML/JS/CSS comments from template text, and escapes a called template separately for each context it is
/// called in. Refused here, with file:line: branches that end in different contexts (after Go's nudge), an action
/// in an ambiguous URL part or after an ambiguous '/' in script, a bad character in an unquoted attribute or an
/// attribute name, and an entry template that ends inside a tag, attribute, script or comment.
/// </summary>
internal sealed class Escaper(IReadOnlyDictionary<string, ParsedTemplate> templates)
{
    private readonly Dictionary<string, PreparedTemplate> _prepared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EscapeContext> _output = new(StringComparer.Ordinal);
    private readonly HashSet<string> _calledWhileEscaping = new(StringComparer.Ordinal);
    private PreparedTemplate _current = null!;
    private bool _dryRun;

    public IReadOnlyDictionary<string, PreparedTemplate> Prepared => _prepared;

    /// <exception cref="GoTemplateException">The template cannot be escaped safely.</exception>
    public void EscapeEntry(string name)
    {
        if (!templates.TryGetValue(name, out var parsed))
        {
            throw new GoTemplateException(name, null, $"no such template \"{name}\"");
        }
        var (end, _) = EscapeTree(EscapeContext.Text, name, 0, parsed.Origin);
        if (end.State == EscapeState.Error)
        {
            throw new GoTemplateException(end.ErrorOrigin ?? parsed.Origin, end.ErrorLine == 0 ? null : end.ErrorLine, end.Error!);
        }
        if (end != EscapeContext.Text)
        {
            throw new GoTemplateException(parsed.Origin, null,
                $"template \"{name}\" ends in a non-text context: {end}: close the tag, attribute quote, script, style or comment it opens");
        }
    }

    private (EscapeContext, string) EscapeTree(EscapeContext c, string name, int line, string callerOrigin)
    {
        var derived = c.Mangle(name);
        _calledWhileEscaping.Add(derived);
        if (_output.TryGetValue(derived, out var known))
        {
            return (known, derived);
        }
        if (!templates.TryGetValue(name, out var parsed))
        {
            return (Fail(callerOrigin, line, $"no such template \"{name}\": define it with {{{{define \"{name}\"}}}} or add a file of that name"), derived);
        }
        var template = new PreparedTemplate(derived, parsed);
        _prepared[derived] = template;
        // Assume a recursive call ends where it starts (Go's computeOutCtx).
        _output[derived] = c;
        _calledWhileEscaping.Remove(derived);
        var saved = _current;
        _current = template;
        var end = EscapeList(c, parsed.Root);
        if (end.State != EscapeState.Error && _calledWhileEscaping.Contains(derived) && end != c)
        {
            end = Fail(parsed.Origin, line, $"cannot compute output context for template {name}: a recursive call must end in the context it starts in");
        }
        _current = saved;
        _output[derived] = end;
        return (end, derived);
    }

    private EscapeContext EscapeList(EscapeContext c, ListNode? list)
    {
        if (list is null)
        {
            return c;
        }
        foreach (var node in list.Nodes)
        {
            c = node switch
            {
                TextNode text => EscapeText(c, text),
                ActionNode action => EscapeAction(c, action),
                BranchNode branch => EscapeBranch(c, branch),
                TemplateNode call => EscapeCall(c, call),
                _ => c,
            };
            if (c.State == EscapeState.Error)
            {
                return c;
            }
        }
        return c;
    }

    private EscapeContext EscapeCall(EscapeContext c, TemplateNode node)
    {
        var (end, derived) = EscapeTree(c, node.Name, node.Line, _current.Parsed.Origin);
        if (!_dryRun)
        {
            _current.Calls[node] = derived;
        }
        return end;
    }

    /// <summary>Go's nudge: an action right after a tag name or "=" is an attribute name or an unquoted value.</summary>
    private static EscapeContext Nudge(EscapeContext c) => c.State switch
    {
        EscapeState.Tag => c with { State = EscapeState.AttrName },
        EscapeState.BeforeValue => c with { State = Transitions.AttrStartState(c.Attr), Delimiter = Delimiter.SpaceOrTagEnd, Attr = AttrKind.None },
        EscapeState.AfterName => c with { State = EscapeState.AttrName, Attr = AttrKind.None },
        _ => c,
    };

    private EscapeContext EscapeAction(EscapeContext c, ActionNode node)
    {
        if (node.Pipe.Declarations.Count > 0)
        {
            return c;
        }
        c = Nudge(c);
        var escapers = new List<EscaperKind>(3);
        switch (c.State)
        {
            case EscapeState.Error:
                return c;
            case EscapeState.Url or EscapeState.CssDqStr or EscapeState.CssSqStr or EscapeState.CssDqUrl or EscapeState.CssSqUrl or EscapeState.CssUrl:
                switch (c.UrlPart)
                {
                    case UrlPart.None:
                        escapers.Add(EscaperKind.UrlFilter);
                        escapers.Add(c.State is EscapeState.CssDqStr or EscapeState.CssSqStr ? EscaperKind.Css : EscaperKind.UrlNormalizer);
                        break;
                    case UrlPart.PreQuery:
                        escapers.Add(c.State is EscapeState.CssDqStr or EscapeState.CssSqStr ? EscaperKind.Css : EscaperKind.UrlNormalizer);
                        break;
                    case UrlPart.QueryOrFragment:
                        escapers.Add(EscaperKind.UrlEscaper);
                        break;
                    default:
                        return Fail(_current.Parsed.Origin, node.Line,
                            "action appears in an ambiguous context within a URL: a branch before it may or may not have started the query; move the ? or # out of the branch");
                }
                break;
            case EscapeState.Js:
                escapers.Add(EscaperKind.JsVal);
                c = c with { JsContext = JsContext.DivOp };
                break;
            case EscapeState.JsDqStr or EscapeState.JsSqStr:
                escapers.Add(EscaperKind.JsStr);
                break;
            case EscapeState.JsTmplLit:
                escapers.Add(EscaperKind.JsTmplLit);
                break;
            case EscapeState.JsRegexp:
                escapers.Add(EscaperKind.JsRegexp);
                break;
            case EscapeState.Css:
                escapers.Add(EscaperKind.CssValueFilter);
                break;
            case EscapeState.Text:
                escapers.Add(EscaperKind.Html);
                break;
            case EscapeState.Rcdata:
                escapers.Add(EscaperKind.Rcdata);
                break;
            case EscapeState.Attr:
                break;
            case EscapeState.AttrName or EscapeState.Tag:
                c = c with { State = EscapeState.AttrName };
                escapers.Add(EscaperKind.HtmlNameFilter);
                break;
            default:
                escapers.Add(EscaperKind.Comment);
                break;
        }
        switch (c.Delimiter)
        {
            case Delimiter.None:
                break;
            case Delimiter.SpaceOrTagEnd:
                escapers.Add(EscaperKind.NoSpace);
                break;
            default:
                escapers.Add(EscaperKind.Attr);
                break;
        }
        var drops = PredefinedEscaperAtEnd(node) is { } predefined && escapers.Any(e => Equivalent(predefined, e));
        if (!_dryRun)
        {
            _current.Actions[node] = new ActionEscaping([.. escapers], drops);
        }
        return c;
    }

    /// <summary>
    /// <c>html</c> or <c>urlquery</c> ending the pipeline, or null; anywhere else in it they are refused, as Go
    /// refuses them (they would escape for the wrong context).
    /// </summary>
    private string? PredefinedEscaperAtEnd(ActionNode node)
    {
        var commands = node.Pipe.Commands;
        for (var i = 0; i < commands.Count; i++)
        {
            if (commands[i].Args[0] is IdentifierNode { Name: "html" or "urlquery" } escaper)
            {
                if (i < commands.Count - 1)
                {
                    throw new GoTemplateException(_current.Parsed.Origin, node.Line,
                        $"predefined escaper \"{escaper.Name}\" disallowed in template: html/template escapes by itself; remove it, or put it last in the pipeline");
                }
                return escaper.Name;
            }
        }
        return null;
    }

    private static bool Equivalent(string predefined, EscaperKind escaper) => (predefined, escaper) switch
    {
        ("html", EscaperKind.Html or EscaperKind.Attr or EscaperKind.Rcdata) => true,
        ("urlquery", EscaperKind.UrlEscaper or EscaperKind.UrlNormalizer) => true,
        _ => false,
    };

    private EscapeContext EscapeBranch(EscapeContext c, BranchNode node)
    {
        var name = node.Kind.ToString().ToLowerInvariant();
        var c0 = EscapeList(c, node.List);
        if (node.Kind == BranchKind.Range && c0.State != EscapeState.Error)
        {
            // The body can run again: running it twice must end where running it once does.
            var wasDry = _dryRun;
            _dryRun = true;
            var c1 = EscapeList(c0, node.List);
            _dryRun = wasDry;
            c0 = Join(c0, c1, node, name);
            if (c0.State == EscapeState.Error)
            {
                return c0 with { Error = "on range loop re-entry: " + c0.Error };
            }
        }
        var cElse = EscapeList(c, node.ElseList);
        return Join(c0, cElse, node, name);
    }

    /// <summary>Go's join: the context after a branch, or an error when its arms disagree.</summary>
    private EscapeContext Join(EscapeContext a, EscapeContext b, Node node, string nodeName)
    {
        if (a.State == EscapeState.Error)
        {
            return a;
        }
        if (b.State == EscapeState.Error)
        {
            return b;
        }
        if (a == b)
        {
            return a;
        }
        if ((a with { UrlPart = b.UrlPart }) == b)
        {
            return a with { UrlPart = UrlPart.Unknown };
        }
        if ((a with { JsContext = b.JsContext }) == b)
        {
            return a with { JsContext = JsContext.Unknown };
        }
        var (na, nb) = (Nudge(a), Nudge(b));
        if (!(na == a && nb == b))
        {
            var e = Join(na, nb, node, nodeName);
            if (e.State != EscapeState.Error)
            {
                return e;
            }
        }
        return Fail(_current.Parsed.Origin, node.Line,
            $"{{{{{nodeName}}}}} branches end in different contexts: {a}, {b}: each branch must open and close the same tags, attributes and quotes");
    }

    private EscapeContext EscapeText(EscapeContext c, TextNode node)
    {
        var s = node.Text;
        var written = 0;
        var i = 0;
        var b = new StringBuilder();
        while (i != s.Length)
        {
            var (c1, read) = Transitions.AfterText(c, s[i..]);
            var i1 = i + read;
            if (c.State is EscapeState.Text or EscapeState.Rcdata)
            {
                var end = i1;
                if (c1.State != c.State)
                {
                    for (var j = end - 1; j >= i; j--)
                    {
                        if (s[j] == '<')
                        {
                            end = j;
                            break;
                        }
                    }
                }
                for (var j = i; j < end; j++)
                {
                    if (s[j] == '<' && !s.AsSpan(j).StartsWith("<!DOCTYPE", StringComparison.OrdinalIgnoreCase))
                    {
                        b.Append(s, written, j - written).Append("&lt;");
                        written = j + 1;
                    }
                }
            }
            else if (c.IsComment && c.Delimiter == Delimiter.None)
            {
                if (c.State == EscapeState.JsBlockComment)
                {
                    b.Append(s.AsSpan(written, i1 - written).IndexOfAny("\n\r\u2028\u2029") >= 0 ? '\n' : ' ');
                }
                else if (c.State == EscapeState.CssBlockComment)
                {
                    b.Append(' ');
                }
                written = i1;
            }
            if (c.State != c1.State && c1.IsComment && c1.Delimiter == Delimiter.None)
            {
                // Keep what precedes the comment's opening, drop the opening itself.
                var commentStart = i1 - (c1.State == EscapeState.HtmlComment ? 4 : 2);
                b.Append(s, written, Math.Max(0, commentStart - written));
                written = i1;
            }
            if (c1.State == EscapeState.Error)
            {
                return c1 with { ErrorLine = node.Line + s.AsSpan(0, i).Count('\n'), ErrorOrigin = _current.Parsed.Origin };
            }
            if (i == i1 && c.State == c1.State)
            {
                throw new InvalidOperationException($"escaper made no progress at {c} on \"{s[i..]}\"");
            }
            c = c1;
            i = i1;
        }
        if (written != 0 && !_dryRun)
        {
            if (!c.IsComment || c.Delimiter != Delimiter.None)
            {
                b.Append(s, written, s.Length - written);
            }
            _current.Texts[node] = b.ToString();
        }
        return c;
    }

    private static EscapeContext Fail(string origin, int line, string message) =>
        new(EscapeState.Error, Error: message, ErrorLine: line, ErrorOrigin: origin);
}
