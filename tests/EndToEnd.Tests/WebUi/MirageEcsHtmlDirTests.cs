using System.Net;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.WebUi;

/// <summary>
/// A mirage-ecs htmldir (its own layout.html, list.html and launcher.html, Go html/template, in MirageEcsHtml/) on a
/// real `mirage` process in local mode: rendered unchanged with the data mirage-ecs passes, escaped as Go escapes,
/// and refused at start with file:line when broken.
/// </summary>
public sealed class MirageEcsHtmlDirTests : IDisposable
{
    private const string HostileBranch = "\"><script>alert(1)</script>";
    private readonly string _html = Directory.CreateTempSubdirectory("mirage-ecs-htmldir-").FullName;

    public MirageEcsHtmlDirTests()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "WebUi", "MirageEcsHtml"), "*.html"))
        {
            File.Copy(file, Path.Combine(_html, Path.GetFileName(file)));
        }
    }

    public void Dispose() => Directory.Delete(_html, recursive: true);

    private MirageProcessOptions Options => new()
    {
        ConfigText = MirageProcess.LocalConfig + $"""
            htmldir: {_html}
            parameters:
              - name: nick
                env: NICK
                default: '"><script>alert(2)</script>'
                description: who you are
              - name: size
                env: SIZE
                required: true
                default: large
                options:
                  - label: Small one
                    value: small
                  - value: large

            """,
    };

    [Fact]
    public async Task The_mirage_ecs_templates_render_the_list_layout_and_launcher_with_its_data()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var mirage = await MirageProcess.StartAsync(Options, cancellationToken);
        using (var launch = await mirage.PostApiAsync("/api/launch",
                   new { subdomain = "gotmpl", branch = HostileBranch, taskdef = new[] { "demo" }, wait = true }, cancellationToken))
        {
            Assert.True(launch.IsSuccessStatusCode, mirage.Explain("launch gotmpl"));
        }
        using var client = mirage.CreateClient();

        var layout = await client.GetStringAsync("/", cancellationToken);
        Assert.Contains("<title>Mirage-ECS Dashboard</title>", layout, StringComparison.Ordinal);
        Assert.Matches(@"<p>mirage-ecs \d+\.\d+\.\d+[^<]*</p>", layout);
        Assert.Contains("<div id=\"list-content\" class=\"row\" hx-trigger=\"load\" hx-get=\"/list\">", layout, StringComparison.Ordinal);

        var apiList = await mirage.GetJsonAsync("/api/list", cancellationToken);
        var shortId = apiList.GetProperty("result").EnumerateArray().Single(r => r.GetProperty("subdomain").GetString() == "gotmpl").GetProperty("short_id").GetString()!;
        var list = await client.GetStringAsync("/list", cancellationToken);
        Assert.Contains("<td class=\"col-md-1\">gotmpl</td>", list, StringComparison.Ordinal);
        // The hostile branch is text, escaped as Go's htmlEscaper does; nowhere is it markup.
        Assert.Contains("<td class=\"col-md-1\">&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>", list, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", list, StringComparison.Ordinal);
        Assert.Contains($"<span class=\"text-short\" id=\"id-{shortId}\">{shortId[..8]}...", list, StringComparison.Ordinal);
        Assert.Contains($"document.querySelector('#id-{shortId}').innerHTML='{shortId}'", list, StringComparison.Ordinal);
        Assert.Contains("<td class=\"col-md-1\">RUNNING</td>", list, StringComparison.Ordinal);
        Assert.Contains("hx-confirm=\"Are you sure you wish to terminate gotmpl?\"", list, StringComparison.Ordinal);
        Assert.Contains("hx-vals='{\"subdomain\": \"gotmpl\"}'", list, StringComparison.Ordinal);
        Assert.Contains($"href=\"/trace/{shortId}\"", list, StringComparison.Ordinal);
        Assert.Matches(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", list);

        var launcher = await client.GetStringAsync("/launcher", cancellationToken);
        Assert.Contains("<form id=\"launcher-form\" method=\"POST\" action=\"/launch\">", launcher, StringComparison.Ordinal);
        // The hostile default lands in an attribute value and a text node: escaped for each, never closing the quote.
        Assert.Contains("value=\"&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;\" id=\"nick\"", launcher, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(2)", launcher, StringComparison.Ordinal);
        Assert.Contains("who you are", launcher, StringComparison.Ordinal);
        Assert.Contains("<option value=\"small\" >Small one</option>", launcher, StringComparison.Ordinal);
        Assert.Contains("<option value=\"large\" selected>large</option>", launcher, StringComparison.Ordinal);
        Assert.Contains("<input class=\"form-control\" type=\"text\" name=\"taskdef\" value=\"demo\" id=\"taskdef\"", launcher, StringComparison.Ordinal);
        Assert.Contains("<label for=\"branch\" class=\"form-label\">branch</label>", launcher, StringComparison.Ordinal);

        // Mirage's own pages stay on the built-in templates.
        var environment = await client.GetStringAsync("/environments/gotmpl", cancellationToken);
        Assert.Contains("/assets/mirage.css", environment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_launcher_form_of_mirage_ecs_launches_and_its_list_terminates()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var mirage = await MirageProcess.StartAsync(Options, cancellationToken);
        using var client = mirage.CreateClient();
        // What htmx posts from launcher.html's form: every field, with HX-Request.
        using var launch = new HttpRequestMessage(HttpMethod.Post, "/launch")
        {
            Content = new FormUrlEncodedContent([
                new("subdomain", "formtmpl"), new("branch", "main"), new("nick", "me"), new("size", "small"), new("taskdef", "demo")]),
        };
        launch.Headers.Add("HX-Request", "true");
        launch.Headers.Add("Origin", mirage.WebUri.GetLeftPart(UriPartial.Authority));
        using var launched = await client.SendAsync(launch, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, launched.StatusCode);
        Assert.Equal("ok", await launched.Content.ReadAsStringAsync(cancellationToken));
        await Eventually.HoldsAsync(async () => (await client.GetStringAsync("/list", cancellationToken)).Contains("<td class=\"col-md-1\">RUNNING</td>", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), () => mirage.Explain("formtmpl runs"), cancellationToken);

        using var terminate = new HttpRequestMessage(HttpMethod.Post, "/terminate") { Content = new FormUrlEncodedContent([new("subdomain", "formtmpl")]) };
        terminate.Headers.Add("HX-Request", "true");
        terminate.Headers.Add("Origin", mirage.WebUri.GetLeftPart(UriPartial.Authority));
        using var terminated = await client.SendAsync(terminate, cancellationToken);
        Assert.True(terminated.IsSuccessStatusCode, mirage.Explain("terminate"));
        await Eventually.HoldsAsync(async () => !(await client.GetStringAsync("/list", cancellationToken)).Contains("<td class=\"col-md-1\">RUNNING</td>", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), () => mirage.Explain("formtmpl no longer runs"), cancellationToken);
    }

    [Theory]
    [InlineData("list.html", "<table>\n{{ range .info }}\n{{ if .X }}\n<tr></tr>\n{{ end }}\n", 2, "{{range}} is never closed: add {{end}}")]
    [InlineData("launcher.html", "<div>{{ .Version }}\n{{ shout .Parameters }}</div>\n", 2, "function \"shout\" not defined")]
    [InlineData("layout.html", "<a href=\"{{if .Version}}/x?{{end}}{{.Version}}\">\n", 1, "ambiguous context within a URL")]
    public async Task A_broken_mirage_ecs_template_stops_the_start_with_its_file_and_line(string file, string text, int line, string problem)
    {
        var path = Path.Combine(_html, file);
        await File.WriteAllTextAsync(path, text, TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MirageProcess.StartAsync(Options, TestContext.Current.CancellationToken));
        Assert.Contains("mirage exited with code 1 before answering", error.Message, StringComparison.Ordinal);
        Assert.Contains($"mirage: {path}:{line}: Go template: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
