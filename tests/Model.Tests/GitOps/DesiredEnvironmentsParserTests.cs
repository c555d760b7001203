using Mirage.Model.Configuration;
using Mirage.Model.GitOps;
using Mirage.Model.Intents;
using Mirage.Model.Parameters;

namespace Mirage.Model.Tests.GitOps;

public sealed class DesiredEnvironmentsParserTests
{
    private static readonly DesiredEnvironmentsParser Parser = new(LaunchParameterResolver.Create(
    [
        ParameterConfig.DefaultBranch,
        new ParameterConfig { Name = "owner", Env = "OWNER", Rule = "^[a-z]+$" },
        new ParameterConfig { Name = "size", Env = "SIZE", Default = "small" },
    ]));

    private static DesiredEnvironmentsFile Parse(string yaml) => Parser.Parse(new ConfigText(yaml, "desired.yaml"));

    private static string Fails(string yaml) => Assert.Throws<ConfigException>(() => Parse(yaml)).Message;

    [Fact]
    public void Reads_entries_with_parameters_defaults_and_policies()
    {
        var file = Parse("""
            environments:
              - subdomain: Main
                branch: main
                taskdef: [web, worker:3]
                parameters: {owner: alice}
                policy: {keep: true}
              - subdomain: pr-42
                branch: feature/42
                taskdef: web
                policy:
                  ttl: 24h
                  idle: 2h
            """);

        Assert.False(file.AllowEmpty);
        var main = file.Environments[0];
        Assert.Equal("main", main.Subdomain);
        Assert.Equal(["web", "worker:3"], main.TaskDefinitions);
        Assert.Equal(new Dictionary<string, string> { ["branch"] = "main", ["owner"] = "alice", ["size"] = "small" }, main.Parameters);
        Assert.Equal(new LifecyclePolicy(Keep: true), main.Policy);
        Assert.Equal(2, main.Line);
        var pr = file.Environments[1];
        Assert.Equal(["web"], pr.TaskDefinitions);
        Assert.Equal(new LifecyclePolicy(Ttl: TimeSpan.FromHours(24), IdleWindow: TimeSpan.FromHours(2)), pr.Policy);
        Assert.Equal(7, pr.Line);
    }

    [Fact]
    public void An_empty_list_needs_the_explicit_flag()
    {
        Assert.Contains("environments is empty, which would terminate every environment of this file", Fails("environments: []\n"), StringComparison.Ordinal);
        Assert.Contains("the file is empty", Fails("   \n# nothing\n"), StringComparison.Ordinal);
        Assert.Contains("the file has no environments list", Fails("allow_empty: false\n"), StringComparison.Ordinal);

        Assert.Empty(Parse("allow_empty: true\nenvironments: []\n").Environments);
        Assert.True(Parse("allow_empty: true\n").AllowEmpty);
    }

    [Theory]
    [InlineData("environments:\n  - {subdomain: a, branch: main, taskdef: [web]}\n", "desired.yaml:2:17: environments[0].subdomain: subdomain is too short")]
    [InlineData("environments:\n  - {subdomain: ok-1, taskdef: [web]}\n", "desired.yaml:2:5: environments[0] (subdomain ok-1): lack require parameter: branch")]
    [InlineData("environments:\n  - {subdomain: ok-1, branch: main}\n", "desired.yaml:2:5: environments[0] (subdomain ok-1) has no taskdef")]
    [InlineData("environments:\n  - {branch: main, taskdef: [web]}\n", "desired.yaml:2:5: environments[0] has no subdomain")]
    [InlineData("environments:\n  - {subdomain: ok-1, branch: main, taskdef: [web], parameters: {owner: Bob}}\n", "desired.yaml:2:5: environments[0] (subdomain ok-1): parameter owner value is rule error")]
    [InlineData("environments:\n  - {subdomain: ok-1, branch: main, taskdef: [web], parameters: {color: red}}\n", "desired.yaml:2:66: environments[0].parameters.color: color is not a configured parameter (configured: owner, size)")]
    [InlineData("environments:\n  - {subdomain: ok-1, branch: main, taskdef: [web], policy: {ttl: 24}}\n", "desired.yaml:2:67: environments[0].policy.ttl: \"24\" has no unit")]
    [InlineData("environments:\n  - {subdomain: ok-1, branch: main, taskdef: [web], policy: {idle: 30s}}\n", "desired.yaml:2:68: environments[0].policy.idle: 30s is shorter than the one-minute")]
    [InlineData("environments:\n  - {subdomain: ok-1, branch: main, taskdef: [web], policy: {keep: true, ttl: 1h}}\n", "desired.yaml:2:61: environments[0].policy: keep: true never expires")]
    [InlineData("environments:\n  - {subdomain: ok-1, branch: main, taskdef: [web], tll: 1h}\n", "desired.yaml:2:53: unknown key environments[0].tll")]
    [InlineData("environment:\n  - {subdomain: ok-1}\n", "desired.yaml:1:1: unknown key environment; check its spelling")]
    [InlineData("environments:\n  - {subdomain: ok-1, branch: main, taskdef: [web]\n", "desired.yaml:2:5: invalid YAML: this { is never closed")]
    [InlineData("environments:\n  - {subdomain: ok-1, branch: main, taskdef: [web]}\n  - {subdomain: OK-1, branch: dev, taskdef: [web]}\n", "desired.yaml:3:5: environments[1]: subdomain ok-1 is already declared at environments[0]")]
    public void Problems_name_the_line_and_say_what_to_write(string yaml, string expectedStart)
    {
        Assert.StartsWith(expectedStart, Fails(yaml), StringComparison.Ordinal);
    }
}
