using System.Net;
using Mirage.LocalEcs.Standalone;

namespace Mirage.LocalEcs.Tests.Standalone;

public sealed class StandaloneSettingsTests
{
    [Fact]
    public void The_seed_variables_keep_their_meaning()
    {
        var settings = Read(new()
        {
            ["ECS_LOCAL_METADATA_PORT"] = "51679",
            ["CLUSTER_ARN"] = "arn:aws:ecs:eu-west-1:123456789012:cluster/dev",
            ["TASK_ARN"] = "arn:aws:ecs:eu-west-1:123456789012:task/dev/0123456789abcdef0123456789abcdef",
            ["TASK_DEFINITION_FAMILY"] = "shop",
            ["TASK_DEFINITION_REVISION"] = "7",
            ["SHARED_TOKEN_EXPIRATION"] = "15m",
            ["STS_ENDPOINT"] = "http://127.0.0.1:5000",
            ["AWS_REGION"] = "eu-west-1",
            ["TASK_TAGS"] = "team=platform, env = dev",
        });

        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 51679)], settings.Listen);
        Assert.Equal(("arn:aws:ecs:eu-west-1:123456789012:cluster/dev", "shop", "7"), (settings.Cluster, settings.Family, settings.Revision));
        Assert.EndsWith("/0123456789abcdef0123456789abcdef", settings.TaskArn, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(15), settings.SharedTokenExpiration);
        Assert.Equal("http://127.0.0.1:5000", settings.StsServiceUrl);
        Assert.Equal("eu-west-1", settings.Region);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "platform", ["env"] = "dev" }, settings.TaskTags);
    }

    [Fact]
    public void Defaults_listen_on_port_80_of_loopback_and_listen_flags_take_the_port()
    {
        var defaults = Read([]);
        var listen = StandaloneSettings.FromEnvironment(_ => null, ["169.254.170.2", "127.0.0.1:8000"], "unix:///run/docker.sock");

        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 80)], defaults.Listen);
        Assert.Null(defaults.AuthorizationTokenHash);
        Assert.Equal(("ecs-local-cluster", "1", TimeSpan.FromMinutes(20)), (defaults.Cluster, defaults.Revision, defaults.SharedTokenExpiration));
        Assert.Null(defaults.TaskArn);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("169.254.170.2"), 80), new IPEndPoint(IPAddress.Loopback, 8000)], listen.Listen);
    }

    [Fact]
    public void The_default_listener_is_169_254_170_2_when_the_host_has_that_address_and_never_every_interface()
    {
        var owned = StandaloneSettings.FromEnvironment(_ => null, [], "unix:///run/docker.sock", a => a.Equals(IPAddress.Parse(StandaloneSettings.EcsEndpointAddress)));
        var notOwned = StandaloneSettings.FromEnvironment(_ => null, [], "unix:///run/docker.sock", _ => false);

        Assert.Equal([new IPEndPoint(IPAddress.Parse("169.254.170.2"), 80)], owned.Listen);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 80)], notOwned.Listen);
    }

    [Fact]
    public void The_token_is_kept_only_as_its_hash_and_host_names_are_read_as_a_list()
    {
        const string token = "0123456789abcdef0123456789abcdef";
        var settings = Read(new() { ["LOCAL_ENDPOINTS_TOKEN"] = token, ["LOCAL_ENDPOINTS_HOSTNAMES"] = "ecs-local-endpoints, metadata.internal" });

        Assert.Equal(Credentials.AuthorizationToken.Hash(token), settings.AuthorizationTokenHash);
        Assert.DoesNotContain(token, settings.ToString(), StringComparison.Ordinal);
        Assert.Equal(["ecs-local-endpoints", "metadata.internal"], settings.HostNames);
    }

    [Theory]
    [InlineData("LOCAL_ENDPOINTS_TOKEN", "short", "LOCAL_ENDPOINTS_TOKEN must be at least 16 characters")]
    [InlineData("LOCAL_ENDPOINTS_TOKEN", "0123456789 abcdef01234", "without spaces")]
    [InlineData("LOCAL_ENDPOINTS_HOSTNAMES", "good,bad name", "LOCAL_ENDPOINTS_HOSTNAMES entry 'bad name' is not a host name")]
    [InlineData("ECS_LOCAL_METADATA_PORT", "eighty", "ECS_LOCAL_METADATA_PORT 'eighty' is not a port")]
    [InlineData("ECS_LOCAL_METADATA_PORT", "70000", "from 1 to 65535")]
    [InlineData("SHARED_TOKEN_EXPIRATION", "soon", "write seconds (900) or 900s, 15m, 1h")]
    [InlineData("TASK_TAGS", "team", "TASK_TAGS entry 'team' has no key")]
    public void Unusable_values_name_the_variable_and_the_fix(string name, string value, string message)
    {
        var error = Assert.Throws<FormatException>(() => Read(new() { [name] = value }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_listen_value_that_is_not_an_address_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => StandaloneSettings.FromEnvironment(_ => null, ["localhost:80"], "unix:///run/docker.sock"));

        Assert.Contains("--listen 'localhost:80' is not an address", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Settings on a host without 169.254.170.2, whatever this machine's interfaces are.</summary>
    private static StandaloneSettings Read(Dictionary<string, string> environment) =>
        StandaloneSettings.FromEnvironment(n => environment.GetValueOrDefault(n), [], "unix:///run/docker.sock", _ => false);
}
