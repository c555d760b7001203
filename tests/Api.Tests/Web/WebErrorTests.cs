using Mirage.Api.Web.Pages;
using Mirage.Model.Configuration;

namespace Mirage.Api.Tests.Web;

public sealed class WebErrorTests
{
    private static readonly IReadOnlyList<ParameterConfig> Parameters =
        [ParameterConfig.DefaultBranch, new ParameterConfig { Name = "ticket", Rule = "^[A-Z]+-[0-9]+$" }];

    [Theory]
    [InlineData("lack require parameter: branch", "“branch” is required: fill it in and launch again.")]
    [InlineData("parameter ticket value is rule error", "The value of “ticket” does not match its rule ^[A-Z]+-[0-9]+$: change it so that it does.")]
    [InlineData("parameter branch value is too long(max 255 unicode characters)", "The value of “branch” is too long: use at most 255 characters.")]
    [InlineData("parameter required: subdomain=x, taskdef=[]", "Give at least one task definition (a family such as “demo”, or family:revision).")]
    [InlineData("task definition nope is not found: known: demo:1, web:2", "There is no task definition “nope”: check its name (family, family:revision or ARN). Known task definitions: demo:1, web:2.")]
    [InlineData("subdomain is empty", "Give a subdomain: it names the environment and its URL.")]
    [InlineData("subdomain 9x includes invalid characters", "The subdomain “9x” is not valid: use letters, digits and hyphens, start with a letter and do not end with a hyphen.")]
    public void Known_messages_are_explained_and_the_original_is_kept(string original, string explained)
    {
        var error = WebError.Explain(original, Parameters);
        Assert.Equal(explained, error.Message);
        Assert.Equal(original, error.Detail);
    }

    [Fact]
    public void Other_messages_are_shown_as_they_are()
    {
        var error = WebError.Explain("subdomain web is declared in envs.yaml; change it there", Parameters);
        Assert.Equal("Subdomain web is declared in envs.yaml; change it there", error.Message);
        Assert.Equal("subdomain web is declared in envs.yaml; change it there", error.Detail);
        Assert.Null(WebError.Explain("Already a sentence.", Parameters).Detail);
    }

    [Theory]
    [InlineData("API_TOKEN", true)]
    [InlineData("db_password", true)]
    [InlineData("AWS_SECRET_ACCESS_KEY", true)]
    [InlineData("GIT_BRANCH", false)]
    [InlineData("SUBDOMAIN", false)]
    public void Secret_looking_names_are_masked(string name, bool secret)
    {
        Assert.Equal(secret, SecretNames.LooksSecret(name));
        Assert.Equal(secret ? SecretNames.Mask : "v", SecretNames.Shown(name, "v"));
    }
}
