using System.Text;
using Mirage.GoTemplates.Execution;

namespace Mirage.Model.Configuration;

/// <summary>
/// Collects the template output while remembering which source line each output line came from. A line keeps its
/// columns only when one piece of text wrote all of it, starting just after one of that piece's own newlines (or at
/// the very start of a file that begins with text): anything before it on the source line was not an action.
/// </summary>
/// <param name="startsWithText">The file begins with text, not an action, so its first line starts at column 1.</param>
internal sealed class RenderedTextBuilder(bool startsWithText) : IGoTemplateWriter
{
    private const int NoPiece = 0;

    private readonly StringBuilder _text = new();
    private readonly List<RenderedLine> _lines = [];
    private int _lineSource = 1;
    private bool _lineUnchanged = startsWithText;
    private int _lineStartPiece = startsWithText ? 1 : NoPiece;
    private int _pieces;

    public void WriteText(string text, int line)
    {
        var piece = ++_pieces;
        if (text.Length > 0 && _lineStartPiece != piece)
        {
            _lineUnchanged = false;
        }
        var sourceLine = line;
        foreach (var c in text)
        {
            _text.Append(c);
            if (c == '\n')
            {
                EndLine(++sourceLine, piece);
            }
        }
    }

    public void WriteValue(string value, int line)
    {
        ++_pieces;
        _lineUnchanged = false;
        foreach (var c in value)
        {
            _text.Append(c);
            if (c == '\n')
            {
                // The rest of a multi-line value still comes from the action's line, its columns from nowhere.
                EndLine(line, NoPiece);
                _lineUnchanged = false;
            }
        }
    }

    public override string ToString() => _text.ToString();

    public RenderedLineMap BuildLineMap() => new([.. _lines, new RenderedLine(_lineSource, _lineUnchanged)]);

    private void EndLine(int nextSourceLine, int startPiece)
    {
        _lines.Add(new RenderedLine(_lineSource, _lineUnchanged));
        _lineSource = nextSourceLine;
        _lineUnchanged = true;
        _lineStartPiece = startPiece;
    }
}
