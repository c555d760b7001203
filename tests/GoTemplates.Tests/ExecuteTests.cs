using Mirage.GoTemplates.Execution;
using Mirage.GoTemplates.Values;

namespace Mirage.GoTemplates.Tests;

/// <summary>text/template semantics (pairs in the manner of Go's text/template exec_test.go), without escaping.</summary>
public sealed class ExecuteTests
{
    private static string Run(string text, object? data, IReadOnlyDictionary<string, GoFunction>? functions = null) =>
        GoTemplateSet.Parse([new GoTemplateSource("t", "t", text)], html: false, functions: functions).Execute("t", data);

    private static readonly Dictionary<string, object?> Map = new()
    {
        ["Name"] = "mirage",
        ["N"] = 3,
        ["List"] = new[] { "a", "b", "c" },
        ["Map"] = new Dictionary<string, object?> { ["z"] = 1, ["a"] = 2 },
        ["Empty"] = "",
        ["Created"] = new DateTimeOffset(2026, 1, 2, 15, 4, 5, TimeSpan.Zero),
        ["Zero"] = DateTimeOffset.MinValue,
        ["Row"] = new GoStruct("Information", new Dictionary<string, object?> { ["ShortID"] = "0123456789abcdef" }),
    };

    [Theory]
    [InlineData("{{.Name}}", "mirage")]
    [InlineData("{{.Missing}}", "<no value>")]
    [InlineData("{{- \"a\" -}}  \n {{- \"b\" }}", "ab")]
    [InlineData("x {{/* a comment */}} y", "x  y")]
    [InlineData("{{$x := .N}}{{$x = 5}}{{$x}}", "5")]
    [InlineData("{{range $i, $v := .List}}{{$i}}={{$v}};{{end}}", "0=a;1=b;2=c;")]
    [InlineData("{{range $k, $v := .Map}}{{$k}}{{$v}}{{end}}", "a2z1")]
    [InlineData("{{range 3}}{{.}}{{end}}", "012")]
    [InlineData("{{range .List}}{{if eq . \"b\"}}{{break}}{{end}}{{.}}{{end}}", "a")]
    [InlineData("{{range .List}}{{if eq . \"b\"}}{{continue}}{{end}}{{.}}{{end}}", "ac")]
    [InlineData("{{range .Missing}}x{{else}}none{{end}}", "none")]
    [InlineData("{{if .Empty}}a{{else if .N}}b{{else}}c{{end}}", "b")]
    [InlineData("{{with .Empty}}a{{else with .Name}}{{.}}{{end}}", "mirage")]
    [InlineData("{{and 1 0 \"x\"}} {{or 0 \"\" \"y\"}} {{not .Empty}}", "0 y true")]
    [InlineData("{{or .Name (index .List 99)}}", "mirage")]
    [InlineData("{{eq .N 1 2 3}} {{ne .Name \"x\"}} {{lt 1 2}} {{ge \"b\" \"a\"}}", "true true true true")]
    [InlineData("{{len .List}} {{index .List 1}} {{slice .Row.ShortID 0 8}}", "3 b 01234567")]
    [InlineData("{{printf \"%s-%d-%q-%x-%5.2f-%v-%t\" .Name .N \"q\" 255 3.14159 .List true}}", "mirage-3-\"q\"-ff- 3.14-[a b c]-true")]
    [InlineData("{{print 1 2 \"a\" 3}}|{{println \"x\" 1}}", "1 2a3|x 1\n")]
    [InlineData("{{html \"<a&'>\"}} {{js \"it's\"}} {{urlquery \"a b&c\"}}", "&lt;a&amp;&#39;&gt; it\\'s a+b%26c")]
    [InlineData("{{.Name | printf \"%s!\"}}", "mirage!")]
    [InlineData("{{(index .List 0) | len}}", "1")]
    [InlineData("{{.Created.Format \"2006-01-02 15:04:05 MST\"}} {{.Created.Unix}} {{.Zero.IsZero}} {{.Created.IsZero}}", "2026-01-02 15:04:05 UTC 1767366245 true false")]
    [InlineData("{{.Created.Format \"Jan _2 3:04PM Mon 06 .000 -07:00 Z07:00\"}}", "Jan  2 3:04PM Fri 26 .000 +00:00 Z")]
    [InlineData("{{define \"x\"}}[{{.}}]{{end}}{{template \"x\" .Name}}{{block \"y\" .N}}<{{.}}>{{end}}", "[mirage]<3>")]
    [InlineData("{{`raw\\n`}} {{'a'}} {{0x10}} {{1e3}} {{-2}} {{nil | print}}", "raw\\n 97 16 1000 -2 <nil>")]
    public void A_template_renders_as_Go_renders_it(string template, string expected)
    {
        Assert.Equal(expected, Run(template, Map));
    }

    [Theory]
    [InlineData("line one\n{{ if .X }}never closed", "t:2: {{if}} is never closed")]
    [InlineData("{{ nosuch .X }}", "t:1: function \"nosuch\" not defined")]
    [InlineData("{{ $y }}", "t:1: undefined variable \"$y\"")]
    [InlineData("a\n\n{{ .X ", "t:3: action \"{{\" is never closed")]
    [InlineData("{{end}}", "t:1: unexpected {{end}}")]
    [InlineData("{{break}}", "{{break}} outside {{range}}")]
    [InlineData("{{if .X}}{{else}}{{else}}{{end}}", "two {{else}} branches")]
    [InlineData("{{ 1i }}", "complex number")]
    public void A_broken_template_fails_at_parse_naming_file_and_line(string template, string expected)
    {
        var error = Assert.Throws<GoTemplateException>(() => Run(template, null));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_a_struct_lacks_fails_the_render_with_file_and_line()
    {
        var error = Assert.Throws<GoTemplateException>(() => Run("\n{{.Row.Nope}}", Map));
        Assert.Equal("t:2: can't evaluate field Nope in type Information", error.Message);
    }

    [Fact]
    public void Custom_functions_are_called_and_known_to_the_parser()
    {
        var functions = new Dictionary<string, GoFunction> { ["env"] = call => "v:" + call.Arguments[0] };
        Assert.Equal("v:HOME", Run("{{ env \"HOME\" }}", null, functions));
    }
}
