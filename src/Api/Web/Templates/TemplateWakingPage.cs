using Mirage.Edge.Waking;

namespace Mirage.Api.Web.Templates;

/// <summary>The Edge's waking page from <c>waking.html</c> (htmldir, else the built-in copy), so it can be restyled like the UI's pages.</summary>
public sealed class TemplateWakingPage(WebUiFiles files) : IWakingPage
{
    public string Render(WakingPageModel model) => files.Templates.Render("waking", model);
}
