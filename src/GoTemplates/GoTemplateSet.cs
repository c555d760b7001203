using System.Text;
using Mirage.GoTemplates.Escaping;
using Mirage.GoTemplates.Execution;
using Mirage.GoTemplates.Parsing;

namespace Mirage.GoTemplates;

/// <summary>One template file: its name in the set (e.g. "list.html"), where it came from, and its text.</summary>
public sealed record GoTemplateSource(string Name, string Origin, string Text);

/// <summary>
/// A set of Go templates parsed together, as Go's ParseGlob makes one: every file is a template under its name, and
/// any file may <c>define</c> more or call the others with <c>template</c>. With <c>html</c> the set behaves as
/// html/template: the named entry templates are escaped when the set is made, so an unsafe template fails then.
/// </summary>
public sealed class GoTemplateSet
{
    private readonly IReadOnlyDictionary<string, PreparedTemplate> _prepared;
    private readonly IReadOnlyDictionary<string, GoFunction> _functions;

    private GoTemplateSet(IReadOnlyDictionary<string, PreparedTemplate> prepared, IReadOnlyDictionary<string, GoFunction> functions)
    {
        _prepared = prepared;
        _functions = functions;
    }

    /// <param name="entries">With html, the templates that will be executed directly (escaped in HTML text context).</param>
    /// <exception cref="GoTemplateException">A file does not parse, or (html) an entry cannot be escaped.</exception>
    public static GoTemplateSet Parse(
        IEnumerable<GoTemplateSource> files, bool html, IEnumerable<string>? entries = null, IReadOnlyDictionary<string, GoFunction>? functions = null)
    {
        functions ??= new Dictionary<string, GoFunction>();
        var trees = new Dictionary<string, ParsedTemplate>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            Parser.Parse(file.Name, file.Text, file.Origin, name => functions.ContainsKey(name) || Builtins.IsBuiltin(name), trees);
        }
        if (!html)
        {
            return new GoTemplateSet(trees.ToDictionary(t => t.Key, t => new PreparedTemplate(t.Key, t.Value), StringComparer.Ordinal), functions);
        }
        var escaper = new Escaper(trees);
        foreach (var entry in entries ?? trees.Keys)
        {
            escaper.EscapeEntry(entry);
        }
        return new GoTemplateSet(escaper.Prepared, functions);
    }

    public bool Contains(string name) => _prepared.ContainsKey(name);

    /// <exception cref="GoTemplateException">Rendering failed where Go's Execute fails (a field a struct lacks, a bad call).</exception>
    public string Execute(string name, object? data)
    {
        if (!_prepared.TryGetValue(name, out var template))
        {
            throw new GoTemplateException(name, null, $"no such template \"{name}\"");
        }
        var output = new StringBuilder();
        new Executor(_prepared, _functions, output).Run(template, data);
        return output.ToString();
    }
}
