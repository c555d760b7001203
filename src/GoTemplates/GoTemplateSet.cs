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
    private readonly GoTemplateLimits _limits;

    private GoTemplateSet(
        IReadOnlyDictionary<string, PreparedTemplate> prepared, IReadOnlyDictionary<string, GoFunction> functions, GoTemplateLimits limits)
    {
        _prepared = prepared;
        _functions = functions;
        _limits = limits;
    }

    /// <param name="entries">With html, the templates that will be executed directly (escaped in HTML text context).</param>
    /// <param name="functions">Functions besides Go's predefined ones (Go's Funcs).</param>
    /// <param name="limits">The work one execution may do; <see cref="GoTemplateLimits.Default"/> when null.</param>
    /// <exception cref="GoTemplateException">A file does not parse, or (html) an entry cannot be escaped.</exception>
    public static GoTemplateSet Parse(
        IEnumerable<GoTemplateSource> files,
        bool html,
        IEnumerable<string>? entries = null,
        IReadOnlyDictionary<string, GoFunction>? functions = null,
        GoTemplateLimits? limits = null)
    {
        functions ??= new Dictionary<string, GoFunction>();
        limits ??= GoTemplateLimits.Default;
        var trees = new Dictionary<string, ParsedTemplate>(StringComparer.Ordinal);
        var functionNames = functions.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var file in files)
        {
            Parser.Parse(file.Name, file.Text, file.Origin, functionNames, trees);
        }
        if (!html)
        {
            return new GoTemplateSet(
                trees.ToDictionary(t => t.Key, t => new PreparedTemplate(t.Key, t.Value), StringComparer.Ordinal), functions, limits);
        }
        var escaper = new Escaper(trees);
        foreach (var entry in entries ?? trees.Keys)
        {
            escaper.EscapeEntry(entry);
        }
        return new GoTemplateSet(escaper.Prepared, functions, limits);
    }

    public bool Contains(string name) => _prepared.ContainsKey(name);

    /// <exception cref="GoTemplateException">
    /// Rendering failed where Go's Execute fails (a field a struct lacks, a bad call), or went past the limits.
    /// </exception>
    public string Execute(string name, object? data)
    {
        var output = new StringGoTemplateWriter();
        Execute(name, data, output);
        return output.ToString();
    }

    /// <summary>Renders into <paramref name="output"/>, which learns the source line of every piece.</summary>
    /// <exception cref="GoTemplateException">As <see cref="Execute(string, object?)"/>; what was written stays written.</exception>
    public void Execute(string name, object? data, IGoTemplateWriter output)
    {
        if (!_prepared.TryGetValue(name, out var template))
        {
            throw new GoTemplateException(name, null, $"no such template \"{name}\"");
        }
        new Executor(_prepared, _functions, output, _limits).Run(template, data);
    }
}
