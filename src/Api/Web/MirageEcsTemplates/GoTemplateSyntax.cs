using System.Text.RegularExpressions;

namespace Mirage.Api.Web.MirageEcsTemplates;

/// <summary>
/// Which htmldir files are mirage-ecs's Go templates rather than Mirage's Handlebars ones. A file is Go when it has
/// none of Handlebars' own markers (<c>{{#</c>, <c>{{/</c> other than the comment <c>{{/*</c>, <c>{{&gt;</c>,
/// <c>{{{</c>, <c>{{!</c>, <c>{{^</c>) and at least one action only Go writes: one starting (after <c>{{</c>, an
/// optional <c>-</c> and spaces) with <c>.</c>, <c>$</c>, <c>/*</c>, <c>(</c> or a Go keyword
/// (if, range, with, define, template, block, end, else). Anything else — <c>{{Count}}</c> — stays Handlebars.
/// </summary>
public static partial class GoTemplateSyntax
{
    public static bool IsGo(string text) => !HandlebarsMarker().IsMatch(text) && GoAction().IsMatch(text);

    [GeneratedRegex(@"\{\{(#|/(?!\*)|>|\{|!|\^)")]
    private static partial Regex HandlebarsMarker();

    [GeneratedRegex(@"\{\{-?\s*(\.|\$|/\*|\(|(if|range|with|define|template|block|end|else)\b)")]
    private static partial Regex GoAction();
}
