using Mirage.Api.Web.MirageEcsTemplates;

namespace Mirage.Api.Tests.Web;

/// <summary>The rule that tells mirage-ecs's Go templates in htmldir from Mirage's Handlebars ones.</summary>
public sealed class GoTemplateSyntaxTests
{
    [Theory]
    [InlineData("<p>mirage-ecs {{ .Version }}</p>")]
    [InlineData("{{ range $row := .info }}{{ $row.SubDomain }}{{ end }}")]
    [InlineData("{{- if .error -}}x{{- end -}}")]
    [InlineData("{{/* a Go comment */}}{{ template \"x\" }}")]
    [InlineData("{{define \"x\"}}y{{end}}")]
    public void A_file_with_an_action_only_Go_writes_is_Go(string text) => Assert.True(GoTemplateSyntax.IsGo(text));

    [Theory]
    [InlineData("<p class=\"team\">{{Count}} environments</p>")]
    [InlineData("{{#if Busy}}{{.}}{{/if}}")]
    [InlineData("{{> list}} {{ .Version }}")]
    [InlineData("{{{Body}}} {{ .Version }}")]
    [InlineData("{{! a comment }}{{ if }}")]
    [InlineData("{{^Rows}}none{{/Rows}}")]
    [InlineData("<p>no actions at all</p>")]
    public void A_file_with_a_Handlebars_marker_or_no_Go_action_is_Handlebars(string text) => Assert.False(GoTemplateSyntax.IsGo(text));
}
