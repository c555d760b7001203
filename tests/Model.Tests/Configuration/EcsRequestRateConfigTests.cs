using Mirage.Model.Configuration;
using static Mirage.Model.Tests.Configuration.ConfigFixtures;

namespace Mirage.Model.Tests.Configuration;

public sealed class EcsRequestRateConfigTests
{
    [Fact]
    public void The_ecs_request_rate_defaults_to_20_a_second_with_bursts_of_50()
    {
        var ecs = Load("ecs:\n  cluster: mirage\n").Config.Ecs;

        Assert.Equal(20, ecs.RequestsPerSecond);
        Assert.Equal(50, ecs.RequestBurst);
    }

    [Fact]
    public void The_ecs_request_rate_is_read_and_shown_in_the_config_dump()
    {
        var result = Load("""
            ecs:
              requests_per_second: 5
              request_burst: 10
            """);

        Assert.Empty(result.Warnings);
        Assert.Equal(5, result.Config.Ecs.RequestsPerSecond);
        Assert.Equal(10, result.Config.Ecs.RequestBurst);
        var dump = ConfigDump.ToYaml(result.Config);
        Assert.Contains("requests_per_second: 5", dump, StringComparison.Ordinal);
        Assert.Contains("request_burst: 10", dump, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("requests_per_second: 0", "ecs.requests_per_second: 0 is out of range; Mirage accepts 1 to 1000")]
    [InlineData("requests_per_second: 5000", "ecs.requests_per_second: 5000 is out of range; Mirage accepts 1 to 1000")]
    [InlineData("request_burst: 0", "ecs.request_burst: 0 is out of range; Mirage accepts 1 to 10000")]
    [InlineData("request_burst: lots", "ecs.request_burst must be a whole number")]
    public void An_ecs_request_rate_out_of_range_is_refused_at_its_line(string line, string expected)
    {
        var error = LoadFails($"ecs:\n  {line}\n");

        Assert.Equal(2, error.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
