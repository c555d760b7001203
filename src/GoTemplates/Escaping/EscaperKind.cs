namespace Mirage.GoTemplates.Escaping;

/// <summary>The escaping functions html/template appends to an action's pipeline (Go's _html_template_* names).</summary>
internal enum EscaperKind
{
    Html,
    Rcdata,
    Attr,
    NoSpace,
    HtmlNameFilter,
    Comment,
    UrlFilter,
    UrlNormalizer,
    UrlEscaper,
    JsVal,
    JsStr,
    JsRegexp,
    JsTmplLit,
    Css,
    CssValueFilter,
}
