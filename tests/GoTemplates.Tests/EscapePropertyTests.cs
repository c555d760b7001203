using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Mirage.GoTemplates.Tests;

/// <summary>Properties of html/template's escaping over any value made of the characters that matter to HTML and JS.</summary>
public sealed class EscapePropertyTests
{
    private static readonly GoTemplateSet Set = GoTemplateSet.Parse(
    [
        new GoTemplateSource("text", "text", "<p>{{.}}</p>"),
        new GoTemplateSource("dq", "dq", "<input value=\"{{.}}\">"),
        new GoTemplateSource("sq", "sq", "<input value='{{.}}'>"),
        new GoTemplateSource("unquoted", "unquoted", "<input value={{.}}>"),
        new GoTemplateSource("jsstr", "jsstr", "<script>var s = '{{.}}';</script>"),
        new GoTemplateSource("href", "href", "<a href=\"{{.}}\">x</a>"),
    ], html: true);

    private static Arbitrary<string> Values() =>
        Gen.ArrayOf(Gen.Elements("<>&\"'` =\n\t/\\ab1{}$+;:-!\u2028é".ToCharArray())).Select(c => new string(c)).ToArbitrary();

    private static string Inner(string output, string before, string after) => output[before.Length..^after.Length];

    [Property(MaxTest = 500)]
    public Property No_value_makes_markup_in_text_and_it_reads_back_as_written() =>
        Prop.ForAll(Values(), v =>
        {
            var inner = Inner(Set.Execute("text", v), "<p>", "</p>");
            return !inner.Contains('<') && !inner.Contains('>') && WebUtility.HtmlDecode(inner) == v;
        });

    [Property(MaxTest = 500)]
    public Property No_value_leaves_a_quoted_attribute() =>
        Prop.ForAll(Values(), v =>
        {
            var dq = Inner(Set.Execute("dq", v), "<input value=\"", "\">");
            var sq = Inner(Set.Execute("sq", v), "<input value='", "'>");
            return !dq.Contains('"') && !sq.Contains('\'') && WebUtility.HtmlDecode(dq) == v && WebUtility.HtmlDecode(sq) == v;
        });

    [Property(MaxTest = 500)]
    public Property No_value_ends_an_unquoted_attribute() =>
        Prop.ForAll(Values(), v =>
        {
            var inner = Inner(Set.Execute("unquoted", v), "<input value=", ">");
            return inner.Length > 0 && inner.IndexOfAny(" \t\n\r\f>\"'`=<".ToCharArray()) < 0;
        });

    [Property(MaxTest = 500)]
    public Property No_value_ends_a_script_string_or_the_script() =>
        Prop.ForAll(Values(), v =>
        {
            var inner = Inner(Set.Execute("jsstr", v), "<script>var s = '", "';</script>");
            return inner.IndexOfAny("'\"<>\n\u2028".ToCharArray()) < 0 && !inner.Replace("\\\\", "", StringComparison.Ordinal).EndsWith('\\');
        });

    [Property(MaxTest = 500)]
    public Property No_value_gives_a_link_a_script_scheme() =>
        Prop.ForAll(Values(), v =>
        {
            var inner = Inner(Set.Execute("href", "javascript:" + v), "<a href=\"", "\">x</a>");
            return inner == "#ZgotmplZ";
        });
}
