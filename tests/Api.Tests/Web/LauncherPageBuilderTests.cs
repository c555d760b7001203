using Mirage.Api.Web;
using Mirage.Api.Web.Pages;
using Mirage.Model.Configuration;

namespace Mirage.Api.Tests.Web;

public sealed class LauncherPageBuilderTests
{
    private static readonly MirageConfig Config = new()
    {
        Parameters =
        [
            ParameterConfig.DefaultBranch,
            new ParameterConfig
            {
                Name = "size", Default = "large", Description = "CPU",
                Options = [new ParameterOption("Small", "small"), new ParameterOption("", "large")],
            },
            new ParameterConfig { Name = "db_password" },
        ],
    };

    [Fact]
    public void Parameters_become_controls_with_defaults_options_and_required_marks()
    {
        var model = new LauncherPageBuilder(Config, new WebUiOptions(Local: false)).Build();
        var branch = model.Parameters[0];
        Assert.Equal(("branch", "param-branch", "your branch", true, false), (branch.Name, branch.InputId, branch.Placeholder, branch.Required, branch.HasOptions));
        var size = model.Parameters[1];
        Assert.Equal([("Small", "small", false), ("large", "large", true)], size.Options.Select(o => (o.Label, o.Value, o.Selected)));
        Assert.Equal("CPU", size.Description);
        Assert.True(model.Parameters[2].IsSecret);
        Assert.Equal(LauncherPageBuilder.SubdomainPattern, model.SubdomainPattern);
    }

    [Fact]
    public void A_refused_form_keeps_its_values_but_not_secrets()
    {
        var values = new Dictionary<string, string> { ["branch"] = "feature/x", ["size"] = "small", ["db_password"] = "hunter2" };
        var model = new LauncherPageBuilder(Config, new WebUiOptions(Local: false)).Build("web", values, ["a", "", "b"]);
        Assert.Equal("web", model.Subdomain);
        Assert.Equal(["feature/x", "small", ""], model.Parameters.Select(p => p.Value));
        Assert.True(model.Parameters[1].Options[0].Selected);
        Assert.Equal(["a", "b"], model.TaskDefinitions);
    }

    [Fact]
    public void Task_definitions_default_to_link_then_ecs_then_demo_locally()
    {
        var linked = Config with { Link = new LinkConfig { DefaultTaskDefinitions = ["web", "worker"] }, Ecs = new EcsConfig { DefaultTaskDefinition = "app" } };
        Assert.Equal(["web", "worker"], new LauncherPageBuilder(linked, new WebUiOptions(false)).DefaultTaskDefinitions());
        var ecs = Config with { Ecs = new EcsConfig { DefaultTaskDefinition = "app" } };
        Assert.Equal(["app"], new LauncherPageBuilder(ecs, new WebUiOptions(true)).DefaultTaskDefinitions());
        Assert.Equal(["demo"], new LauncherPageBuilder(Config, new WebUiOptions(true)).DefaultTaskDefinitions());
        Assert.Equal([""], new LauncherPageBuilder(Config, new WebUiOptions(false)).DefaultTaskDefinitions());
    }
}
