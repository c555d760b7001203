using HandlebarsDotNet;
using Mirage.Model.Configuration;

namespace Mirage.Api.Web.Templates;

/// <summary>
/// The UI's Handlebars templates, parsed once when Mirage starts. Every template is also a partial under its name
/// without <c>.html</c> (so the index page can say <c>{{&gt; list}}</c>). A template that does not parse stops the
/// start with a message naming the file.
/// </summary>
public sealed class WebTemplates
{
    /// <summary>Every template the UI renders; a custom htmldir may override any of them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["layout", "index", "list", "launcher", "environment", "trace", "error", "waking"];

    private readonly Dictionary<string, HandlebarsTemplate<object, object>> _templates = new(StringComparer.Ordinal);

    private WebTemplates(IReadOnlyDictionary<string, string> origins) => Origins = origins;

    /// <summary>Where each template was read from (a path, or "built-in name.html").</summary>
    public IReadOnlyDictionary<string, string> Origins { get; }

    /// <exception cref="ConfigException">A template is missing from both places or does not parse.</exception>
    public static WebTemplates Load(HtmlDirectory directory)
    {
        // One Handlebars environment per Mirage: partials registered here are seen by these templates only.
        var handlebars = Handlebars.Create(new HandlebarsConfiguration { ThrowOnUnresolvedBindingExpression = false });
        var files = new Dictionary<string, HtmlFile>(StringComparer.Ordinal);
        foreach (var name in Names)
        {
            var file = directory.Read(name + ".html");
            // mirage-ecs's Go templates are served by MirageEcsTemplateSet; Mirage's own pages keep the built-in copy.
            if (file is { BuiltIn: false } && MirageEcsTemplates.GoTemplateSyntax.IsGo(file.Text))
            {
                file = HtmlDirectory.ReadBuiltIn(name + ".html");
            }
            files[name] = file
                ?? throw new ConfigException(Path.Combine(directory.Folder, name + ".html"), null, null, "template is missing and there is no built-in copy");
        }
        var templates = new WebTemplates(files.ToDictionary(f => f.Key, f => f.Value.Origin, StringComparer.Ordinal));
        foreach (var (name, file) in files)
        {
            try
            {
                templates._templates[name] = handlebars.Compile(file.Text);
                handlebars.RegisterTemplate(name, file.Text);
            }
            catch (HandlebarsException e)
            {
                throw new ConfigException(file.Origin, null, null, $"template does not parse (templates use Handlebars syntax): {e.Message}");
            }
        }
        return templates;
    }

    public string Render(string name, object model) => _templates[name](model);

    /// <summary>A page: the named template rendered into <c>layout.html</c>'s <c>{{{Body}}}</c>.</summary>
    public string RenderPage(string name, string title, string section, object model, string version, string leader = "") =>
        Render("layout", new LayoutModel(title, section, Render(name, model), version, leader));
}
