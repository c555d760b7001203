using Mirage.GoTemplates.Execution;

namespace Mirage.GoTemplates.Tests;

/// <summary>The writer overload tells where each piece of output came from, so a caller can map it back to the source.</summary>
public sealed class WriterTests
{
    private sealed class RecordingWriter : IGoTemplateWriter
    {
        public List<(string Kind, string Text, int Line)> Pieces { get; } = [];

        public void WriteText(string text, int line) => Pieces.Add(("text", text, line));

        public void WriteValue(string value, int line) => Pieces.Add(("value", value, line));
    }

    private static List<(string Kind, string Text, int Line)> Pieces(string text, IReadOnlyDictionary<string, GoFunction>? functions = null)
    {
        var writer = new RecordingWriter();
        GoTemplateSet.Parse([new GoTemplateSource("t", "t", text)], html: false, functions: functions).Execute("t", null, writer);
        return writer.Pieces;
    }

    [Fact]
    public void Text_is_written_with_the_line_it_starts_on_and_values_with_their_action_line()
    {
        var pieces = Pieces("a: {{ \"x\" }}\n{{ if true -}}\n\n  b: {{ printf \"%d\"\n  7 }}\nc{{ end }}");

        Assert.Equal(
            [("text", "a: ", 1), ("value", "x", 1), ("text", "\n", 1), ("text", "b: ", 4), ("value", "7", 4), ("text", "\nc", 5)],
            pieces);
    }

    [Fact]
    public void Text_repeated_by_a_range_keeps_its_source_line()
    {
        var pieces = Pieces("x\n{{ range 2 }}\n- {{ . }}{{ end }}");

        Assert.Equal(
            [("text", "x\n", 1), ("text", "\n- ", 2), ("value", "0", 3), ("text", "\n- ", 2), ("value", "1", 3)],
            pieces);
    }

    [Fact]
    public void A_function_is_told_the_file_and_line_of_its_call()
    {
        var calls = new List<GoCall>();
        var functions = new Dictionary<string, GoFunction> { ["env"] = call => { calls.Add(call); return "v"; } };

        Pieces("one\ntwo {{ env \"A\" }}\n{{ \"B\" | env }}", functions);

        Assert.Equal([("A", "t", 2), ("B", "t", 3)], calls.Select(c => (string.Join(",", c.Arguments), c.Origin, c.Line)).ToList());
    }

    [Fact]
    public void Execute_to_a_string_is_the_writer_output_joined()
    {
        const string Text = "a: {{ \"x\" }}\n{{ range 2 }}- {{ . }}\n{{ end }}";
        var set = GoTemplateSet.Parse([new GoTemplateSource("t", "t", Text)], html: false);

        Assert.Equal(string.Concat(Pieces(Text).Select(p => p.Text)), set.Execute("t", null));
        Assert.Equal("a: x\n- 0\n- 1\n", set.Execute("t", null));
    }
}
