using Mirage.GoTemplates.Parsing;

namespace Mirage.GoTemplates.Escaping;

/// <summary>
/// A template ready to run: its tree plus the escaper's edits for one start context (Go clones the tree under a
/// mangled name; here the edits sit beside the shared tree, keyed by node). Without escaping the edits are empty.
/// </summary>
internal sealed class PreparedTemplate(string name, ParsedTemplate parsed)
{
    public string Name { get; } = name;
    public ParsedTemplate Parsed { get; } = parsed;
    public Dictionary<ActionNode, ActionEscaping> Actions { get; } = new(ReferenceEqualityComparer.Instance);
    public Dictionary<TextNode, string> Texts { get; } = new(ReferenceEqualityComparer.Instance);
    public Dictionary<TemplateNode, string> Calls { get; } = new(ReferenceEqualityComparer.Instance);

    public void Clear()
    {
        Actions.Clear();
        Texts.Clear();
        Calls.Clear();
    }
}
