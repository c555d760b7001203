using System.Text;

namespace Mirage.GoTemplates.Execution;

/// <summary>Collects the output as one string, for callers that need no source positions.</summary>
internal sealed class StringGoTemplateWriter : IGoTemplateWriter
{
    private readonly StringBuilder _output = new();

    public void WriteText(string text, int line) => _output.Append(text);

    public void WriteValue(string value, int line) => _output.Append(value);

    public override string ToString() => _output.ToString();
}
