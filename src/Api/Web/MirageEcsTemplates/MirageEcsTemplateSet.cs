using Mirage.GoTemplates;
using Mirage.Model.Configuration;

namespace Mirage.Api.Web.MirageEcsTemplates;

/// <summary>
/// mirage-ecs's own templates in htmldir (Go html/template, see <see cref="GoTemplateSyntax"/>), parsed and escaped
/// when Mirage starts, all Go files together as mirage-ecs's ParseGlob does. Mirage serves <c>/</c>, <c>/list</c>
/// and <c>/launcher</c> from <c>layout.html</c>, <c>list.html</c> and <c>launcher.html</c> when those are Go files;
/// its other pages stay on the built-in templates. A file that does not parse or cannot be escaped safely stops
/// the start with file:line.
/// </summary>
public sealed class MirageEcsTemplateSet
{
    /// <summary>The templates mirage-ecs renders, each for its route.</summary>
    public static IReadOnlyList<string> Entries { get; } = ["layout.html", "list.html", "launcher.html"];

    private readonly GoTemplateSet? _set;

    private MirageEcsTemplateSet(GoTemplateSet? set, IReadOnlyList<string> files)
    {
        _set = set;
        Files = files;
    }

    /// <summary>The htmldir files read as Go templates.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <exception cref="ConfigException">A Go template does not parse or cannot be escaped.</exception>
    public static MirageEcsTemplateSet Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return new MirageEcsTemplateSet(null, []);
        }
        var sources = Directory.EnumerateFiles(folder, "*.html")
            .Order(StringComparer.Ordinal)
            .Select(path => new GoTemplateSource(Path.GetFileName(path), path, File.ReadAllText(path)))
            .Where(s => GoTemplateSyntax.IsGo(s.Text))
            .ToList();
        if (sources.Count == 0)
        {
            return new MirageEcsTemplateSet(null, []);
        }
        try
        {
            var entries = Entries.Where(e => sources.Any(s => s.Name == e)).ToList();
            return new MirageEcsTemplateSet(GoTemplateSet.Parse(sources, html: true, entries), [.. sources.Select(s => s.Name)]);
        }
        catch (GoTemplateException e)
        {
            throw new ConfigException(e.Origin, e.Line, null, $"Go template: {e.Problem}");
        }
    }

    public bool Serves(string name) => _set?.Contains(name) == true && Entries.Contains(name);

    public string Render(string name, object? data) => _set!.Execute(name, data);
}
