using System.Text.RegularExpressions;
using Mirage.Model.Configuration;
using Mirage.Model.GitOps;
using Mirage.Model.Parameters;
using Mirage.TestKit;

namespace Mirage.Model.Tests.GitOps;

/// <summary>The examples in docs/gitops.md, docs/policies.md and deploy/ load as the docs say they do.</summary>
public sealed partial class DocumentationExamplesTests
{
    private static readonly DesiredEnvironmentsParser Parser = new(LaunchParameterResolver.Create(
        [ParameterConfig.DefaultBranch, new ParameterConfig { Name = "owner", Env = "OWNER" }]));

    [Theory]
    [InlineData("gitops.md", 2, 1, 1)]
    [InlineData("policies.md", 1, 0, 3)]
    public void Every_example_block_loads_or_is_refused_as_documented(string page, int desired, int refused, int configs)
    {
        var blocks = Blocks(File.ReadAllText(RepositoryRoot.Combine("docs", page)));

        Assert.Equal(desired, blocks.Count(b => b.Kind == "desired-environments"));
        Assert.Equal(refused, blocks.Count(b => b.Kind == "desired-environments-refused"));
        Assert.Equal(configs, blocks.Count(b => b.Kind == "mirage-config"));
        foreach (var (kind, text) in blocks)
        {
            var source = new ConfigText(text, $"{page} example");
            switch (kind)
            {
                case "desired-environments":
                    Parser.Parse(source);
                    break;
                case "desired-environments-refused":
                    Assert.Contains("allow_empty: true", Assert.Throws<ConfigException>(() => Parser.Parse(source)).Message, StringComparison.Ordinal);
                    break;
                case "mirage-config":
                    var loaded = new ConfigLoader(_ => null).Load(source, new ConfigLoaderOptions());
                    Assert.Empty(loaded.Warnings);
                    break;
                default:
                    Assert.Fail($"unknown example kind {kind}");
                    break;
            }
        }
    }

    [Fact]
    public void The_policies_page_config_examples_mean_what_the_page_says()
    {
        var configs = Blocks(File.ReadAllText(RepositoryRoot.Combine("docs", "policies.md"))).Where(b => b.Kind == "mirage-config")
            .Select(b => new ConfigLoader(_ => null).Load(new ConfigText(b.Text, "policies.md"), new ConfigLoaderOptions()).Config).ToList();

        var purge = configs[0].Purge!;
        Assert.Equal("13 4 * * ? *", purge.Schedule);
        Assert.Equal(TimeSpan.FromSeconds(86400), purge.Request.Duration);
        var defaults = new RecoverConfig();
        Assert.Equal(defaults, configs[1].Recover with { HookStoppedReasons = defaults.HookStoppedReasons });
        Assert.Equal([RecoverConfig.MaintenanceReason], configs[1].Recover.HookStoppedReasons);
        Assert.Equal(TimeSpan.FromMinutes(30), configs[2].Sleep.SleepAfter);
        Assert.Equal(TimeSpan.FromSeconds(60), configs[2].Sleep.WakeTimeout);
    }

    [Fact]
    public void The_deploy_example_parses_and_names_task_definitions_that_exist_locally()
    {
        var path = RepositoryRoot.Combine("deploy", "desired-environments.yaml");

        var file = Parser.Parse(new ConfigText(File.ReadAllText(path), path));

        Assert.Equal(["main", "pr-42", "staging"], file.Environments.Select(e => e.Subdomain));
        Assert.True(file.Environments[0].Policy.Keep);
        Assert.Equal(TimeSpan.FromHours(24), file.Environments[1].Policy.Ttl);
        Assert.Equal(TimeSpan.FromHours(2), file.Environments[1].Policy.IdleWindow);
        foreach (var taskDefinition in file.Environments.SelectMany(e => e.TaskDefinitions))
        {
            Assert.True(File.Exists(RepositoryRoot.Combine("deploy", "local", "task-definitions", $"{taskDefinition}.json")), taskDefinition);
        }
    }

    private static List<(string Kind, string Text)> Blocks(string markdown) =>
        [.. Fence().Matches(markdown).Select(m => (m.Groups["kind"].Value, m.Groups["body"].Value))];

    [GeneratedRegex(@"^```yaml (?<kind>[a-z-]+)\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();
}
