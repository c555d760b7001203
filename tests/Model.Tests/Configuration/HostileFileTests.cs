using System.Text;
using Mirage.Model.Configuration;
using Mirage.Model.GitOps;
using Mirage.Model.Parameters;

namespace Mirage.Model.Tests.Configuration;

/// <summary>
/// Files built to break the parser (issue 12, item 1): each is refused with the file and line, never with a crash.
/// A stack overflow cannot be caught, so a failure here ends the whole test run rather than one test.
/// </summary>
public sealed class HostileFileTests
{
    private static readonly DesiredEnvironmentsParser GitOps = new(LaunchParameterResolver.Create([ParameterConfig.DefaultBranch]));

    private static ConfigException GitOpsFails(string yaml) =>
        Assert.Throws<ConfigException>(() => GitOps.Parse(new ConfigText(yaml, "desired.yaml")));

    [Fact]
    public void Two_hundred_thousand_open_brackets_are_refused_at_the_line_where_the_nesting_passes_the_limit()
    {
        var yaml = "environments: " + new string('[', 200_000);

        var config = ConfigFixtures.LoadFails(yaml);
        var gitops = GitOpsFails(yaml);

        foreach (var error in new[] { config, gitops })
        {
            Assert.Equal(1, error.Line);
            Assert.Contains($"nested more than {FileLimits.MaxYamlDepth} levels deep", error.Message, StringComparison.Ordinal);
        }
        Assert.StartsWith("desired.yaml:1:", gitops.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_block_nesting_and_open_braces_are_refused_too()
    {
        var block = new StringBuilder();
        for (var level = 0; level < 100; level++)
        {
            block.Append(' ', level).Append("k:\n");
        }
        var deepBlock = ConfigFixtures.LoadFails(block.ToString());
        Assert.Equal(FileLimits.MaxYamlDepth + 1, deepBlock.Line);
        Assert.Contains("nested more than", deepBlock.Message, StringComparison.Ordinal);

        Assert.Contains("nested more than", GitOpsFails(new string('{', 100_000)).Message, StringComparison.Ordinal);
        Assert.Contains("nested more than", GitOpsFails(string.Concat(Enumerable.Repeat("- ", 100_000))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_at_the_limit_is_read_as_usual()
    {
        // host: is level 1; the flow lists inside it take the remaining levels.
        var inner = FileLimits.MaxYamlDepth - 2;
        var yaml = "parameters:\n  - name: deep\n    env: DEEP\n    default: x\nunknown_key: " + new string('[', inner) + new string(']', inner) + "\n";

        var result = ConfigFixtures.Load(yaml);

        Assert.Contains(result.Warnings, w => w.Message.Contains("unknown_key", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_larger_than_the_limit_is_refused_before_parsing()
    {
        var yaml = "# " + new string('x', FileLimits.MaxBytes) + "\n";

        var error = GitOpsFails(yaml);

        Assert.Equal(1, error.Line);
        Assert.Contains("larger than 4 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_keys_that_double_at_every_level_are_refused_instead_of_expanding_for_ever()
    {
        // a1 merges a0 twice, a2 merges a1 twice…: 2^40 entries if expanded.
        var yaml = new StringBuilder("x0: &a0 {k: v}\n");
        for (var i = 1; i <= 40; i++)
        {
            yaml.Append($"x{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}]}}\n");
        }
        yaml.Append("host:\n  <<: *a40\n");

        var error = ConfigFixtures.LoadFails(yaml.ToString());

        Assert.Contains("merge keys", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Line);
    }

    [Fact]
    public void Too_many_aliases_are_refused()
    {
        var yaml = new StringBuilder("x: &a v\ny: [");
        yaml.AppendJoin(", ", Enumerable.Repeat("*a", FileLimits.MaxYamlAliases + 1));
        yaml.Append("]\n");

        Assert.Contains("aliases", ConfigFixtures.LoadFails(yaml.ToString()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mapping_that_merges_itself_is_refused()
    {
        var error = ConfigFixtures.LoadFails("host: &h\n  webapi: a\n  <<: *h\n");

        Assert.NotNull(error.Line);
    }

    [Fact]
    public async Task A_file_source_stops_reading_at_the_limit()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, new byte[FileLimits.MaxBytes + 1], TestContext.Current.CancellationToken);

            var error = await Assert.ThrowsAsync<ConfigException>(() => new FileConfigSource().ReadAsync(path, TestContext.Current.CancellationToken));

            Assert.Contains("larger than 4 MiB", error.Message, StringComparison.Ordinal);
            Assert.Throws<FileTooLargeException>(() => BoundedText.ReadFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_device_that_never_ends_costs_one_bounded_buffer()
    {
        var error = await Assert.ThrowsAsync<FileTooLargeException>(() => BoundedText.ReadFileAsync("/dev/zero", TestContext.Current.CancellationToken));

        Assert.Equal("/dev/zero", error.Name);
    }
}
