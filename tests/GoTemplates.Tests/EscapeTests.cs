using Mirage.GoTemplates.Values;

namespace Mirage.GoTemplates.Tests;

/// <summary>
/// Input → output pairs from Go's html/template tests (src/html/template/escape_test.go, TestEscape, BSD licence,
/// The Go Authors), with its data: F/T bools, C/G/H strings, A/E string slices, N 42, Z nil. Where Go has changed its
/// JS escapes over the years (\x3c became \u003c), the pair is the current Go's.
/// </summary>
public sealed class EscapeTests
{
    private static readonly GoStruct Data = new("data", new Dictionary<string, object?>
    {
        ["F"] = false,
        ["T"] = true,
        ["C"] = "<Cincinatti>",
        ["G"] = "<Goodbye>",
        ["H"] = "<Hello>",
        ["A"] = new[] { "<a>", "<b>" },
        ["E"] = Array.Empty<string>(),
        ["N"] = 42,
        ["Z"] = null,
    });

    public static TheoryData<string, string, string> GoPairs => new()
    {
        { "if", "{{if .T}}Hello{{end}}, {{.C}}!", "Hello, &lt;Cincinatti&gt;!" },
        { "else", "{{if .F}}{{.H}}{{else}}{{.G}}{{end}}!", "&lt;Goodbye&gt;!" },
        { "overescaping1", "Hello, {{.C | html}}!", "Hello, &lt;Cincinatti&gt;!" },
        { "overescaping2", "Hello, {{html .C}}!", "Hello, &lt;Cincinatti&gt;!" },
        { "overescaping3", "{{with .C}}{{$msg := .}}Hello, {{$msg}}!{{end}}", "Hello, &lt;Cincinatti&gt;!" },
        { "assignment", "{{if $x := .H}}{{$x}}{{end}}", "&lt;Hello&gt;" },
        { "withBody", "{{with .H}}{{.}}{{end}}", "&lt;Hello&gt;" },
        { "withElse", "{{with .E}}{{.}}{{else}}{{.H}}{{end}}", "&lt;Hello&gt;" },
        { "rangeBody", "{{range .A}}{{.}}{{end}}", "&lt;a&gt;&lt;b&gt;" },
        { "rangeElse", "{{range .E}}{{.}}{{else}}{{.H}}{{end}}", "&lt;Hello&gt;" },
        { "nonStringValue", "{{.T}}", "true" },
        { "untypedNilValue", "{{.Z}}", "" },
        { "constant", "<a href=\"/search?q={{\"'a<b'\"}}\">", "<a href=\"/search?q=%27a%3cb%27\">" },
        { "multipleAttrs", "<a b=1 c={{.H}}>", "<a b=1 c=&lt;Hello&gt;>" },
        { "urlStartRel", "<a href='{{\"/foo/bar?a=b&c=d\"}}'>", "<a href='/foo/bar?a=b&amp;c=d'>" },
        { "urlStartAbsOk", "<a href='{{\"http://example.com/foo/bar?a=b&c=d\"}}'>", "<a href='http://example.com/foo/bar?a=b&amp;c=d'>" },
        { "protocolRelativeURLStart", "<a href='{{\"//example.com:8000/foo/bar?a=b&c=d\"}}'>", "<a href='//example.com:8000/foo/bar?a=b&amp;c=d'>" },
        { "pathRelativeURLStart", "<a href=\"{{\"/javascript:80/foo/bar\"}}\">", "<a href=\"/javascript:80/foo/bar\">" },
        { "dangerousURLStart", "<a href='{{\"javascript:alert(%22pwned%22)\"}}'>", "<a href='#ZgotmplZ'>" },
        { "dangerousURLStart2", "<a href='  {{\"javascript:alert(%22pwned%22)\"}}'>", "<a href='  #ZgotmplZ'>" },
        { "nonHierURL", "<a href={{\"mailto:Muhammed \\\"The Greatest\\\" Ali <m.ali@example.com>\"}}>", "<a href=mailto:Muhammed%20%22The%20Greatest%22%20Ali%20%3cm.ali@example.com%3e>" },
        { "urlPath", "<a href='http://{{\"javascript:80\"}}/foo'>", "<a href='http://javascript:80/foo'>" },
        { "urlQuery", "<a href='/search?q={{.H}}'>", "<a href='/search?q=%3cHello%3e'>" },
        { "urlFragment", "<a href='/faq#{{.H}}'>", "<a href='/faq#%3cHello%3e'>" },
        { "urlBranch", "<a href=\"{{if .F}}/foo?a=b{{else}}/bar{{end}}\">", "<a href=\"/bar\">" },
        { "urlBranchConflictMoot", "<a href=\"{{if .T}}/foo?a={{else}}/bar#{{end}}{{.C}}\">", "<a href=\"/foo?a=%3cCincinatti%3e\">" },
        { "jsStrValue", "<button onclick='alert({{.H}})'>", "<button onclick='alert(&#34;\\u003cHello\\u003e&#34;)'>" },
        { "jsNumericValue", "<button onclick='alert({{.N}})'>", "<button onclick='alert( 42 )'>" },
        { "jsBoolValue", "<button onclick='alert({{.T}})'>", "<button onclick='alert( true )'>" },
        { "jsNilValue", "<button onclick='alert(typeof{{.Z}})'>", "<button onclick='alert(typeof null )'>" },
        { "jsObjValue", "<button onclick='alert({{.A}})'>", "<button onclick='alert([&#34;\\u003ca\\u003e&#34;,&#34;\\u003cb\\u003e&#34;])'>" },
        { "jsObjValueScript", "<script>alert({{.A}})</script>", "<script>alert([\"\\u003ca\\u003e\",\"\\u003cb\\u003e\"])</script>" },
        { "jsObjValueNotOverEscaped", "<button onclick='alert({{.A | html}})'>", "<button onclick='alert([&#34;\\u003ca\\u003e&#34;,&#34;\\u003cb\\u003e&#34;])'>" },
        { "jsStr", "<button onclick='alert(&quot;{{.H}}&quot;)'>", "<button onclick='alert(&quot;\\u003cHello\\u003e&quot;)'>" },
        { "jsStrNotUnderEscaped", "<button onclick='alert({{.C | urlquery}})'>", "<button onclick='alert(&#34;%3CCincinatti%3E&#34;)'>" },
        { "jsReBlank", "<script>alert(/{{\"\"}}/.test(\"\"));</script>", "<script>alert(/(?:)/.test(\"\"));</script>" },
        { "jsReAmbigOk", "<script>{{if true}}var x = 1{{end}}</script>", "<script>var x = 1</script>" },
        { "styleBidiKeywordPassed", "<p style=\"dir: {{\"ltr\"}}\">", "<p style=\"dir: ltr\">" },
        { "styleExpressionBlocked", "<p style=\"width: {{\"expression(alert(1337))\"}}\">", "<p style=\"width: ZgotmplZ\">" },
        { "styleTagSelectorPassed", "<style>{{\"p\"}} { color: pink }</style>", "<style>p { color: pink }</style>" },
        { "styleQuantityPassed", "<a style=\"left: {{\"2em\"}}; top: {{0}}\">", "<a style=\"left: 2em; top: 0\">" },
        { "stylePctPassed", "<table style=width:{{\"100%\"}}>", "<table style=width:100%>" },
        { "styleURLQueryEncoded", "<p style=\"background: url(/img?name={{\"O'Reilly Animal(1)<2>.png\"}})\">", "<p style=\"background: url(/img?name=O%27Reilly%20Animal%281%29%3c2%3e.png)\">" },
        { "styleURLBadProtocolBlocked", "<a style=\"background: url('{{\"javascript:alert(1337)\"}}')\">", "<a style=\"background: url('#ZgotmplZ')\">" },
        { "styleStrBadProtocolBlocked", "<a style=\"background: '{{\"vbscript:alert(1337)\"}}'\">", "<a style=\"background: '#ZgotmplZ'\">" },
        { "HTML comment", "<b>Hello, <!-- name of world -->{{.C}}</b>", "<b>Hello, &lt;Cincinatti&gt;</b>" },
        { "HTML normalization 1", "a < b", "a &lt; b" },
        { "HTML normalization 2", "a << b", "a &lt;&lt; b" },
        { "HTML doctype not normalized", "<!DOCTYPE html>Hello, World!", "<!DOCTYPE html>Hello, World!" },
        { "No doctype injection", "<!{{\"DOCTYPE\"}}", "&lt;!DOCTYPE" },
        { "JS line comment", "<script>for (;;) { if (c()) break// foo not a label\nfoo({{.T}});}</script>", "<script>for (;;) { if (c()) break\nfoo( true );}</script>" },
        { "JS multiline block comment", "<script>for (;;) { if (c()) break/* foo not a label\n */foo({{.T}});}</script>", "<script>for (;;) { if (c()) break\nfoo( true );}</script>" },
        { "JS block comment flush with mathematical division", "<script>var a/*b*//c\nd</script>", "<script>var a /c\nd</script>" },
        { "CSS comments", "<style>p// paragraph\n{border: 1px/* color */{{\"#00f\"}}}</style>", "<style>p\n{border: 1px #00f}</style>" },
        { "JS attr block comment", "<a onclick=\"f(&quot;&quot;); /* alert({{.H}}) */\">", "<a onclick=\"f(&quot;&quot;); /* alert() */\">" },
        { "HTML substitution commented out", "<p><!-- {{.H}} --></p>", "<p></p>" },
        { "range in textarea", "<textarea>{{range .A}}{{.}}{{end}}</textarea>", "<textarea>&lt;a&gt;&lt;b&gt;</textarea>" },
        { "No tag injection", "{{\"10$\"}}<{{\"script src,evil.org/pwnd.js\"}}...", "10$&lt;script src,evil.org/pwnd.js..." },
        { "No comment injection", "<{{\"!--\"}}", "&lt;!--" },
        { "No RCDATA end tag injection", "<textarea><{{\"/textarea \"}}...</textarea>", "<textarea>&lt;/textarea ...</textarea>" },
        { "conditional valueless attr name", "<input{{if .T}} checked{{end}} name=n>", "<input checked name=n>" },
        { "conditional dynamic valueless attr name 1", "<input{{if .T}} {{\"checked\"}}{{end}} name=n>", "<input checked name=n>" },
        { "dynamic attribute name", "<img on{{\"load\"}}=\"alert({{\"loaded\"}})\">", "<img onload=\"alert(&#34;loaded&#34;)\">" },
        { "bad dynamic attribute name 1", "<input {{\"onchange\"}}=\"{{\"doEvil()\"}}\">", "<input ZgotmplZ=\"doEvil()\">" },
        { "bad dynamic attribute name 3", "<img {{\"src\"}}=\"{{\"javascript:doEvil()\"}}\">", "<img ZgotmplZ=\"javascript:doEvil()\">" },
        { "dynamic element name", "<h{{3}}><table><t{{\"head\"}}>...</h{{3}}>", "<h3><table><thead>...</h3>" },
        { "bad dynamic element name", "<{{\"script\"}}>{{\"doEvil()\"}}</{{\"script\"}}>", "&lt;script>doEvil()&lt;/script>" },
    };

    [Theory]
    [MemberData(nameof(GoPairs))]
    public void Each_action_is_escaped_for_its_context_as_Go_escapes_it(string name, string input, string expected)
    {
        var set = GoTemplateSet.Parse([new GoTemplateSource(name, name, input)], html: true);
        Assert.Equal(expected, set.Execute(name, Data));
    }

    [Theory]
    [InlineData("<a href=\"{{if .T}}/x?{{end}}{{.H}}\">", "ambiguous context within a URL")]
    [InlineData("{{if .T}}<a href=\"{{end}}x", "branches end in different contexts")]
    [InlineData("<a title=\"{{.H}}", "ends in a non-text context")]
    [InlineData("<a b=x{{.H}}=y>", "in unquoted attr")]
    [InlineData("<script>var x = 1 {{if .T}}+{{end}}/ 3</script>", "could start a division or regexp")]
    [InlineData("{{.H | html | printf \"%s\"}}", "predefined escaper \"html\" disallowed in template")]
    public void An_unsafe_template_is_refused_when_the_set_is_made(string input, string problem)
    {
        var error = Assert.Throws<GoTemplateException>(() => GoTemplateSet.Parse([new GoTemplateSource("t", "dir/t.html", input)], html: true));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("dir/t.html", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_called_from_an_attribute_is_escaped_for_the_attribute()
    {
        var set = GoTemplateSet.Parse(
            [new GoTemplateSource("page", "page", "<b title=\"{{template \"v\" .H}}\">{{template \"v\" .H}}</b>{{define \"v\"}}{{.}} x{{end}}")], html: true);
        Assert.Equal("<b title=\"&lt;Hello&gt; x\">&lt;Hello&gt; x</b>", set.Execute("page", Data));
    }

    [Fact]
    public void The_option_idiom_of_mirage_ecs_launcher_is_accepted()
    {
        var set = GoTemplateSet.Parse(
            [new GoTemplateSource("o", "o", "<option value=\"{{.C}}\" {{if .T}}selected{{end}}>x</option>")], html: true);
        Assert.Equal("<option value=\"&lt;Cincinatti&gt;\" selected>x</option>", set.Execute("o", Data));
    }
}
