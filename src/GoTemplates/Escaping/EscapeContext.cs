namespace Mirage.GoTemplates.Escaping;

/// <summary>Where in an HTML document the output is (html/template's context.go), without Go's srcset and JS brace tracking.</summary>
internal enum EscapeState
{
    Text,
    Tag,
    AttrName,
    AfterName,
    BeforeValue,
    HtmlComment,
    Rcdata,
    Attr,
    Url,
    Js,
    JsDqStr,
    JsSqStr,
    JsTmplLit,
    JsRegexp,
    JsBlockComment,
    JsLineComment,
    Css,
    CssDqStr,
    CssSqStr,
    CssDqUrl,
    CssSqUrl,
    CssUrl,
    CssBlockComment,
    CssLineComment,
    Error,
}

internal enum Delimiter
{
    None,
    DoubleQuote,
    SingleQuote,
    SpaceOrTagEnd,
}

internal enum UrlPart
{
    None,
    PreQuery,
    QueryOrFragment,
    Unknown,
}

internal enum JsContext
{
    Regexp,
    DivOp,
    Unknown,
}

internal enum AttrKind
{
    None,
    Script,
    ScriptType,
    Style,
    Url,
}

internal enum ElementKind
{
    None,
    Script,
    Style,
    Textarea,
    Title,
}

/// <param name="Error">Why the state is <see cref="EscapeState.Error"/>.</param>
internal readonly record struct EscapeContext(
    EscapeState State,
    Delimiter Delimiter = Delimiter.None,
    UrlPart UrlPart = UrlPart.None,
    JsContext JsContext = JsContext.Regexp,
    AttrKind Attr = AttrKind.None,
    ElementKind Element = ElementKind.None,
    string? Error = null,
    int ErrorLine = 0,
    string? ErrorOrigin = null)
{
    public static EscapeContext Text { get; } = new(EscapeState.Text);

    public static EscapeContext Failed(string error) => new(EscapeState.Error, Error: error);

    public bool IsComment => State is EscapeState.HtmlComment or EscapeState.JsBlockComment or EscapeState.JsLineComment or EscapeState.CssBlockComment or EscapeState.CssLineComment;

    public bool IsInScriptLiteral => State is EscapeState.JsDqStr or EscapeState.JsSqStr or EscapeState.JsTmplLit or EscapeState.JsRegexp;

    /// <summary>Go's mangled suffix, naming the copy of a template escaped for this start context.</summary>
    public string Mangle(string name) => this == Text ? name : $"{name}$htmltemplate_{this}";

    public override string ToString() =>
        $"{{{State} {Delimiter} {UrlPart} {JsContext} {Attr} {Element}}}";
}
