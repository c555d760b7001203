using Mirage.Model.Configuration;
using static Mirage.Model.Tests.Configuration.ConfigFixtures;

namespace Mirage.Model.Tests.Configuration;

public sealed class GitOpsAndRecoverConfigTests
{
    [Fact]
    public void Gitops_and_recover_are_off_and_on_by_default()
    {
        var config = Load("host:\n  webapi: mirage.example.net\n").Config;

        Assert.Null(config.GitOps);
        Assert.True(config.Recover.Enable);
        Assert.Equal([RecoverConfig.MaintenanceReason], config.Recover.HookStoppedReasons);
        Assert.Equal(3, config.Recover.MaxPerHour);
    }

    [Fact]
    public void Gitops_reads_the_file_and_the_check_interval()
    {
        var config = Load("gitops:\n  file: s3://bucket/desired.yaml\n  check_interval: 1m\n").Config;

        Assert.Equal("s3://bucket/desired.yaml", config.GitOps!.File);
        Assert.Equal(TimeSpan.FromMinutes(1), config.GitOps.CheckInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), Load("gitops:\n  file: ./desired.yaml\n").Config.GitOps!.CheckInterval);
    }

    [Theory]
    [InlineData("gitops:\n  check_interval: 30s\n", "mirage.yml:2:3: gitops has no file; name the desired-environments file")]
    [InlineData("gitops:\n  file: d.yaml\n  check_interval: 100ms\n", "mirage.yml:3:19: gitops.check_interval: 100ms is too short")]
    [InlineData("gitops:\n  file: d.yaml\n  check_interval: 30\n", "mirage.yml:3:19: gitops.check_interval: \"30\" has no unit")]
    [InlineData("recover:\n  max_per_hour: 100\n", "mirage.yml:2:17: recover.max_per_hour: 100 is out of range")]
    [InlineData("recover:\n  hook_stopped_reasons: [\"\"]\n", "mirage.yml:2:25: recover.hook_stopped_reasons: an empty reason would match every stop")]
    [InlineData("recover:\n  parameter: {name: \"\"}\n", "mirage.yml:2:14: recover.parameter needs a name and an env")]
    [InlineData("recover:\n  enable: maybe\n", "mirage.yml:2:11: recover.enable must be true or false")]
    public void Bad_values_say_where_and_what_to_write(string yaml, string expectedStart)
    {
        var error = LoadFails(yaml);

        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recover_reads_its_keys_and_the_dump_loads_back()
    {
        var config = Load("""
            recover:
              enable: false
              hook_stopped_reasons: ["maintenance", "Spot"]
              max_per_hour: 5
            gitops:
              file: ./desired.yaml
              check_interval: 45s
            """).Config;

        Assert.Equal(new RecoverConfig { Enable = false, HookStoppedReasons = config.Recover.HookStoppedReasons, MaxPerHour = 5 }, config.Recover);
        Assert.Equal(["maintenance", "Spot"], config.Recover.HookStoppedReasons);

        var dump = ConfigDump.ToYaml(config);
        Assert.Contains("gitops:\n  file: \"./desired.yaml\"\n  check_interval: \"45s\"\n", dump, StringComparison.Ordinal);
        var reloaded = Load(dump);
        Assert.Empty(reloaded.Warnings);
        Assert.Equal(dump, ConfigDump.ToYaml(reloaded.Config));
    }

    [Fact]
    public void Recover_parameter_keeps_mirage_ecs_defaults_for_keys_not_written()
    {
        Assert.Equal(RecoverConfig.DefaultParameter, Load("recover:\n  enable: true\n").Config.Recover.Parameter);

        var config = Load("recover:\n  enable: true\n  parameter:\n    name: xxx\n    env: XXX\n    default: 1\n    required: false\n").Config;

        Assert.Equal(new ParameterConfig { Name = "xxx", Env = "XXX", Default = "1" }, config.Recover.Parameter);
        Assert.Equal(new ParameterConfig { Name = "Relaunch", Env = "XXX", Default = "on" }, Load("recover:\n  parameter: {env: XXX}\n").Config.Recover.Parameter);
        Assert.Equal(config.Recover.Parameter, Load(ConfigDump.ToYaml(config)).Config.Recover.Parameter);
    }
}
