using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.WebUi;

/// <summary><c>htmldir</c> on a real process: custom templates are used, missing ones come built in, broken ones stop the start.</summary>
public sealed class HtmlDirTests : IDisposable
{
    private readonly string _html = Directory.CreateTempSubdirectory("mirage-htmldir-").FullName;

    public void Dispose() => Directory.Delete(_html, recursive: true);

    private MirageProcessOptions Options => new() { ConfigText = MirageProcess.LocalConfig + $"htmldir: {_html}\n" };

    [Fact]
    public async Task A_custom_template_is_served_and_the_rest_is_built_in()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(Path.Combine(_html, "list.html"), "<p class=\"team\">{{Count}} environments</p>", cancellationToken);
        await using var mirage = await MirageProcess.StartAsync(Options, cancellationToken);
        using var client = mirage.CreateClient();

        Assert.Equal("<p class=\"team\">0 environments</p>", await client.GetStringAsync("/list", cancellationToken));
        var index = await client.GetStringAsync("/", cancellationToken);
        Assert.Contains("<p class=\"team\">0 environments</p>", index, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/assets/mirage.css\">", index, StringComparison.Ordinal);
        Assert.Contains("Launch an environment", await client.GetStringAsync("/launcher", cancellationToken), StringComparison.Ordinal);
        Assert.Contains(".topbar", await client.GetStringAsync("/assets/mirage.css", cancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_that_does_not_parse_stops_the_start_naming_the_file()
    {
        var path = Path.Combine(_html, "environment.html");
        await File.WriteAllTextAsync(path, "{{#if Busy}}busy", TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MirageProcess.StartAsync(Options, TestContext.Current.CancellationToken));
        Assert.Contains("mirage exited with code 1 before answering", error.Message, StringComparison.Ordinal);
        Assert.Contains($"mirage: {path}: template does not parse (templates use Handlebars syntax)", error.Message, StringComparison.Ordinal);
    }
}
