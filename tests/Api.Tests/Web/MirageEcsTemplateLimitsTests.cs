using Mirage.Api.Web.MirageEcsTemplates;
using Mirage.GoTemplates;

namespace Mirage.Api.Tests.Web;

/// <summary>A mirage-ecs htmldir page is bounded when it renders, so a hostile template cannot hold a core per page view.</summary>
public sealed class MirageEcsTemplateLimitsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mirage-ecs-limits-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private MirageEcsTemplateSet Load(string list)
    {
        File.WriteAllText(Path.Combine(_folder, "list.html"), list);
        return MirageEcsTemplateSet.Load(_folder);
    }

    [Fact]
    public void A_list_page_ranging_over_a_billion_fails_naming_the_file_line_and_the_output_limit()
    {
        var templates = Load("<table>\n{{ range 1000000000 }}<tr><td>{{ . }}</td></tr>{{ end }}\n</table>");

        var error = Assert.Throws<GoTemplateException>(() => templates.Render("list.html", new Dictionary<string, object?>()));

        Assert.Equal((Path.Combine(_folder, "list.html"), 2), (error.Origin, error.Line));
        Assert.StartsWith("the output exceeds 16,777,216 characters", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_page_of_a_thousand_rows_renders_within_the_limits()
    {
        var templates = Load("<table>{{ range .info }}<tr><td>{{ .SubDomain }}</td><td>{{ .GitBranch }}</td></tr>{{ end }}</table>");
        var rows = Enumerable.Range(0, 1000)
            .Select(i => (object?)new Dictionary<string, object?> { ["SubDomain"] = $"pr-{i}", ["GitBranch"] = $"feature/{i}" })
            .ToList();

        var page = templates.Render("list.html", new Dictionary<string, object?> { ["info"] = rows });

        Assert.Contains("<tr><td>pr-999</td><td>feature/999</td></tr>", page, StringComparison.Ordinal);
    }
}
