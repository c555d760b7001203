using Mirage.Model.Configuration;
using static Mirage.Model.Tests.Configuration.ConfigFixtures;

namespace Mirage.Model.Tests.Configuration;

public sealed class ClusterConfigTests
{
    [Fact]
    public void Without_a_lease_table_there_is_one_replica_and_no_lease()
    {
        var cluster = Load("host:\n  webapi: mirage.example.net\n").Config.Cluster;

        Assert.False(cluster.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(15), cluster.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(5), cluster.RenewInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), cluster.RoutesPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), cluster.NudgePollInterval);
    }

    [Fact]
    public void The_cluster_section_reads_its_keys_and_the_dump_loads_back()
    {
        var config = Load("""
            intents: s3://mirage-state/intents/
            cluster:
              lease_table: mirage-lease
              lease_name: previews
              lease_duration: 6s
              renew_interval: 2s
              routes_poll_interval: 500ms
              nudge_poll_interval: 2s
            """).Config;

        Assert.Equal(new ClusterConfig
        {
            LeaseTable = "mirage-lease",
            LeaseName = "previews",
            LeaseDuration = TimeSpan.FromSeconds(6),
            RenewInterval = TimeSpan.FromSeconds(2),
            RoutesPollInterval = TimeSpan.FromMilliseconds(500),
            NudgePollInterval = TimeSpan.FromSeconds(2),
        }, config.Cluster);
        Assert.Equal(config.Cluster, Load(ConfigDump.ToYaml(config)).Config.Cluster);
    }

    [Theory]
    [InlineData("cluster:\n  lease_table: t\n  lease_duration: 1s\n", "mirage.yml:2:3: cluster.lease_duration: 1s is too short")]
    [InlineData("cluster:\n  lease_table: t\n  lease_duration: 10s\n  renew_interval: 6s\n", "mirage.yml:2:3: cluster.renew_interval: 6s must be more than 0 and at most half of lease_duration (10s)")]
    [InlineData("cluster:\n  routes_poll_interval: 5s\n", "mirage.yml:2:3: cluster.routes_poll_interval: 5s is out of range")]
    [InlineData("cluster:\n  nudge_poll_interval: 50ms\n", "mirage.yml:2:3: cluster.nudge_poll_interval: 50ms is out of range")]
    [InlineData("cluster:\n  lease_name: \"\"\n", "mirage.yml:2:3: cluster.lease_name is empty")]
    [InlineData("cluster:\n  lease_table: t\n", "mirage.yml:1:1: cluster.lease_table needs intents: s3://bucket/prefix/")]
    public void Bad_cluster_values_say_where_and_what_to_write(string yaml, string expectedStart)
    {
        var error = LoadFails(yaml);

        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }
}
