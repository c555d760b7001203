namespace Mirage.Api.Web.Templates;

/// <summary>The model of <c>layout.html</c>.</summary>
/// <param name="Title">The page's title ("Environments", the subdomain…).</param>
/// <param name="Section">Which navigation entry is current: list, launcher, environment or trace.</param>
/// <param name="Body">The page template's HTML; render it with triple braces.</param>
/// <param name="Version">Mirage's version, for the footer.</param>
/// <param name="Leader">The replica that leads (runs the reconciler), for the footer; empty when none does.</param>
public sealed record LayoutModel(string Title, string Section, string Body, string Version, string Leader = "")
{
    public bool IsList => Section == "list";
    public bool IsLauncher => Section == "launcher";
}
