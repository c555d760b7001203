using System.Diagnostics;

namespace Mirage.GoTemplates.Tests;

/// <summary>A template is hostile until it has run: its work is bounded, and going past a bound names file:line.</summary>
public sealed class LimitTests
{
    private static GoTemplateException Fails(string text, bool html, GoTemplateLimits? limits = null)
    {
        var set = GoTemplateSet.Parse([new GoTemplateSource("list.html", "htmldir/list.html", text)], html, limits: limits);
        return Assert.Throws<GoTemplateException>(() => set.Execute("list.html", null));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_range_over_a_billion_fails_fast_naming_the_line_and_the_step_limit(bool html)
    {
        var clock = Stopwatch.StartNew();
        var error = Fails("<p>\n{{ range 1000000000 }}x{{ end }}</p>", html);

        Assert.Equal(("htmldir/list.html", 2), (error.Origin, error.Line));
        Assert.StartsWith("htmldir/list.html:2: stopped after 10,000,000 steps", error.Message, StringComparison.Ordinal);
        // The step limit, not the billion items, decides: well under the minutes a billion would take.
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Nested_ranges_that_print_nothing_still_hit_the_step_limit(bool html)
    {
        var error = Fails("{{ range 100000 }}\n{{- range 100000 }}{{ end }}{{ end }}", html, new GoTemplateLimits(50_000, 1024));

        Assert.Equal(2, error.Line);
        Assert.Contains("stopped after 50,000 steps (text and actions evaluated, plus range iterations)", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Output_past_the_limit_fails_naming_the_line_and_the_limit(bool html)
    {
        var error = Fails("a\nb\n{{ range 1000 }}{{ \"0123456789\" }}{{ end }}", html, new GoTemplateLimits(1_000_000, 4096));

        Assert.Equal(3, error.Line);
        Assert.Contains("the output exceeds 4,096 characters", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_that_calls_itself_twice_per_call_is_stopped_by_the_step_limit()
    {
        // Depth stays 40, far under the recursion limit, but the calls double at each level: 2^40 calls.
        var error = Fails(
            "{{ define \"t\" }}{{ if . }}{{ template \"t\" (slice . 1) }}{{ template \"t\" (slice . 1) }}{{ end }}{{ end }}{{ template \"t\" \"" + new string('a', 40) + "\" }}",
            false, new GoTemplateLimits(100_000, 1024));

        Assert.Contains("stopped after 100,000 steps", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Work_exactly_at_the_limits_renders_and_one_more_step_or_character_fails()
    {
        // The root list, the range, and per item: the iteration, its list and its action.
        const string Text = "{{ range 3 }}{{ . }}{{ end }}";
        static string Run(long steps, long chars) =>
            GoTemplateSet.Parse([new GoTemplateSource("t", "t", Text)], html: false, limits: new GoTemplateLimits(steps, chars)).Execute("t", null);

        Assert.Equal("012", Run(11, 3));
        Assert.Contains("stopped after 10 steps", Assert.Throws<GoTemplateException>(() => Run(10, 3)).Message, StringComparison.Ordinal);
        Assert.Contains("exceeds 2 characters", Assert.Throws<GoTemplateException>(() => Run(11, 2)).Message, StringComparison.Ordinal);
    }
}
