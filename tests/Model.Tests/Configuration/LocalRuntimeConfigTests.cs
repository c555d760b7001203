using Mirage.Model.Configuration;
using static Mirage.Model.Tests.Configuration.ConfigFixtures;

namespace Mirage.Model.Tests.Configuration;

public sealed class LocalRuntimeConfigTests
{
    [Theory]
    [InlineData("process")]
    [InlineData("docker")]
    [InlineData("auto")]
    public void Local_runtime_is_read_and_dumped(string runtime)
    {
        var config = Load($"local:\n  runtime: {runtime}\n").Config;

        Assert.Equal(runtime, config.Local.Runtime);
        var dumped = Load(ConfigDump.ToYaml(config)).Config;
        Assert.Equal(runtime, dumped.Local.Runtime);
    }

    [Fact]
    public void Local_runtime_defaults_to_auto()
    {
        Assert.Equal("auto", Load("local:\n  data_dir: ./x\n").Config.Local.Runtime);
    }

    [Fact]
    public void Unknown_local_runtime_says_what_to_write()
    {
        var error = LoadFails("local:\n  runtime: kubernetes\n");

        Assert.Equal(2, error.Line);
        Assert.Contains("must be process, docker or auto (got 'kubernetes')", error.Message, StringComparison.Ordinal);
    }
}
