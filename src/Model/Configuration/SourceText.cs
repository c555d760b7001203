namespace Mirage.Model.Configuration;

/// <summary>A text with its line starts, to turn character positions into 1-based line numbers.</summary>
internal sealed class SourceText
{
    private readonly List<int> _lineStarts = [0];

    public SourceText(string text)
    {
        Text = text;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public string Text { get; }

    public int LineAt(int index)
    {
        var found = _lineStarts.BinarySearch(index);
        return (found >= 0 ? found : ~found - 1) + 1;
    }
}
