using Mirage.Api.Web.Pages;
using Mirage.Api.Web.Templates;
using Mirage.Model.Configuration;

namespace Mirage.Api.Tests.Web;

public sealed class WebTemplatesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mirage-html-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Every_template_and_asset_is_built_in()
    {
        var templates = WebTemplates.Load(new HtmlDirectory(Path.Combine(_folder, "missing")));
        Assert.All(WebTemplates.Names, name => Assert.Equal($"built-in {name}.html", templates.Origins[name]));
        var assets = WebAssets.Load(new HtmlDirectory(Path.Combine(_folder, "missing")));
        Assert.Equal(["favicon.svg", "mirage.css", "mirage.js"], assets.Names.Order(StringComparer.Ordinal));
        Assert.Equal("text/css; charset=utf-8", assets.Find("mirage.css")!.ContentType);
    }

    [Fact]
    public void The_waking_page_comes_from_waking_html_in_htmldir_or_the_built_in_copy()
    {
        var model = new Mirage.Edge.Waking.WakingPageModel("pr-7.dev.example.net", "pr-7", 2, 60);
        var builtIn = new TemplateWakingPage(Files(Path.Combine(_folder, "missing"))).Render(model);
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"2\">", builtIn, StringComparison.Ordinal);
        Assert.Contains("Waking up pr-7", builtIn, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(_folder, "waking.html"), "<p>{{Subdomain}} is coming back ({{WakeTimeoutSeconds}} s)</p>");
        var custom = new TemplateWakingPage(Files(_folder)).Render(model);
        Assert.Equal("<p>pr-7 is coming back (60 s)</p>", custom);
    }

    [Fact]
    public void A_template_in_htmldir_replaces_the_built_in_one_and_the_others_stay()
    {
        File.WriteAllText(Path.Combine(_folder, "list.html"), "<p>{{Count}} environments</p>");
        File.WriteAllText(Path.Combine(_folder, "mirage.css"), "body { color: red; }");
        File.WriteAllText(Path.Combine(_folder, "team.css"), "h1 { color: blue; }");
        var templates = WebTemplates.Load(new HtmlDirectory(_folder));
        var model = new ListModel([], [], false, "");

        Assert.Equal("<p>0 environments</p>", templates.Render("list", model));
        Assert.Equal(Path.Combine(_folder, "list.html"), templates.Origins["list"]);
        Assert.Equal("built-in layout.html", templates.Origins["layout"]);
        // The built-in index includes the custom list as a partial.
        Assert.Contains("<p>0 environments</p>", templates.Render("index", new IndexModel(model, null)), StringComparison.Ordinal);

        var assets = WebAssets.Load(new HtmlDirectory(_folder));
        Assert.Equal("body { color: red; }", System.Text.Encoding.UTF8.GetString(assets.Find("mirage.css")!.Content));
        Assert.NotNull(assets.Find("team.css"));
        Assert.NotNull(assets.Find("mirage.js"));
    }

    [Fact]
    public void A_template_that_does_not_parse_stops_the_start_naming_the_file()
    {
        var path = Path.Combine(_folder, "launcher.html");
        File.WriteAllText(path, "<form>{{#each Parameters}}<input name=\"{{Name}}\"></form>");
        var error = Assert.Throws<ConfigException>(() => WebTemplates.Load(new HtmlDirectory(_folder)));
        Assert.Equal(path, error.File);
        Assert.Contains("Handlebars", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_are_html_escaped()
    {
        File.WriteAllText(Path.Combine(_folder, "error.html"), "<p title=\"{{Title}}\">{{Message}}</p>");
        var templates = WebTemplates.Load(new HtmlDirectory(_folder));
        var html = templates.Render("error", new ErrorPageModel("\"quoted\"", "<script>alert(1)</script>", null, "/", "Back"));
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\"quoted\"", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_is_rendered_into_the_layout()
    {
        var templates = WebTemplates.Load(new HtmlDirectory(_folder));
        var html = templates.RenderPage("error", "Lost", "error", new ErrorPageModel("Lost", "Nothing here.", "detail-x", "/", "Back"), "1.2.3");
        Assert.StartsWith("<!doctype html>", html, StringComparison.Ordinal);
        Assert.Contains("<title>Lost · Mirage</title>", html, StringComparison.Ordinal);
        Assert.Contains("Nothing here.", html, StringComparison.Ordinal);
        Assert.Contains("mirage 1.2.3", html, StringComparison.Ordinal);
        Assert.DoesNotContain("//cdn", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    private static WebUiFiles Files(string folder)
    {
        var files = new WebUiFiles();
        files.Load(folder);
        return files;
    }
}
