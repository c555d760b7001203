using System.Text;

namespace Mirage.Model.Configuration;

/// <summary>Builds the template output while remembering which source line each output line came from.</summary>
internal sealed class RenderedTextBuilder
{
    private readonly StringBuilder _text = new();
    private readonly List<RenderedLine> _lines = [];
    private int _lineSource = 1;
    private bool _lineUnchanged = true;

    public void AppendSource(SourceText source, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            var c = source.Text[i];
            _text.Append(c);
            if (c == '\n')
            {
                EndLine(source.LineAt(i + 1));
            }
        }
    }

    public void AppendValue(string value, int sourceLine)
    {
        _lineUnchanged = false;
        foreach (var c in value)
        {
            _text.Append(c);
            if (c == '\n')
            {
                EndLine(sourceLine);
                _lineUnchanged = false;
            }
        }
        // Text skipped inside the action (or trimmed after it) may span lines: the next line keeps its own source line.
    }

    /// <summary>The <c>{{-</c> trim: drops trailing white space, newlines included.</summary>
    public void TrimTrailingWhitespace()
    {
        while (_text.Length > 0 && _text[^1] is ' ' or '\t' or '\r' or '\n')
        {
            if (_text[^1] == '\n')
            {
                var previous = _lines[^1];
                _lines.RemoveAt(_lines.Count - 1);
                _lineSource = previous.SourceLine;
            }
            _text.Length--;
        }
        _lineUnchanged = false;
    }

    public override string ToString() => _text.ToString();

    public RenderedLineMap BuildLineMap() => new([.. _lines, new RenderedLine(_lineSource, _lineUnchanged)]);

    private void EndLine(int nextSourceLine)
    {
        _lines.Add(new RenderedLine(_lineSource, _lineUnchanged));
        _lineSource = nextSourceLine;
        _lineUnchanged = true;
    }
}
