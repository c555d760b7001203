namespace Mirage.GoTemplates.Execution;

/// <summary>
/// Where an execution's output goes, told where each piece came from so a caller can map its output back to the
/// source (the config pass points YAML errors at the line as written).
/// </summary>
public interface IGoTemplateWriter
{
    /// <param name="line">1-based source line the text starts on (after any <c>-}}</c> trimming).</param>
    void WriteText(string text, int line);

    /// <param name="line">1-based source line of the action that printed the value.</param>
    void WriteValue(string value, int line);
}
