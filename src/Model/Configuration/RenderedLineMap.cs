namespace Mirage.Model.Configuration;

/// <summary>
/// Maps a line of the template output back to the line of the file as written, so YAML errors point at what the
/// user wrote. A column is only trusted on lines the template pass did not change.
/// </summary>
internal sealed class RenderedLineMap(IReadOnlyList<RenderedLine> lines)
{
    /// <summary>The identity map, for text that needed no template pass.</summary>
    public static RenderedLineMap Identity { get; } = new([]);

    /// <summary>Source line and (when trustworthy) column of a 1-based rendered position.</summary>
    public (int Line, int? Column) ToSource(int renderedLine, int renderedColumn)
    {
        if (lines.Count == 0)
        {
            return (renderedLine, renderedColumn);
        }
        var index = Math.Clamp(renderedLine - 1, 0, lines.Count - 1);
        var line = lines[index];
        return (line.SourceLine, line.Unchanged ? renderedColumn : null);
    }
}

/// <param name="SourceLine">1-based line of the file as written where this rendered line starts.</param>
/// <param name="Unchanged">No template action was expanded on this line, so columns are the same.</param>
internal readonly record struct RenderedLine(int SourceLine, bool Unchanged);
