using Mirage.Model.Configuration;
using static Mirage.Model.Tests.Configuration.ConfigFixtures;

namespace Mirage.Model.Tests.Configuration;

public sealed class ConfigDumpTests
{
    private static readonly (string, string)[] Secrets =
    [
        ("MIRAGE_COOKIE_SECRET", "cookie-secret-value"),
        ("MIRAGE_TOKEN", "token-value"),
        ("MIRAGE_PASSWORD", "password-value"),
    ];

    [Fact]
    public void Dump_redacts_every_secret()
    {
        var config = Loader(Secrets).Load(Sample("full.yml"), new ConfigLoaderOptions()).Config;

        var yaml = ConfigDump.ToYaml(config);

        foreach (var (_, secret) in Secrets)
        {
            Assert.DoesNotContain(secret, yaml, StringComparison.Ordinal);
        }
        Assert.Contains("cookie_secret: \"***\"", yaml, StringComparison.Ordinal);
        Assert.Contains("token: \"***\"", yaml, StringComparison.Ordinal);
        Assert.Contains("password: \"***\"", yaml, StringComparison.Ordinal);
        Assert.Contains("header: \"x-mirage-token\"", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Dump_uses_snake_case_keys_and_go_durations()
    {
        var yaml = ConfigDump.ToYaml(Loader(Secrets).Load(Sample("full.yml"), new ConfigLoaderOptions()).Config);

        Assert.Contains("reverse_proxy_suffix: \".dev.example.net\"", yaml, StringComparison.Ordinal);
        Assert.Contains("proxy_timeout: \"30s\"", yaml, StringComparison.Ordinal);
        Assert.Contains("trusted_proxies:", yaml, StringComparison.Ordinal);
        Assert.Contains("- \"fd00::/8\"", yaml, StringComparison.Ordinal);
        Assert.Contains("require_auth_cookie: true", yaml, StringComparison.Ordinal);
        Assert.Contains("capacity_provider: \"FARGATE_SPOT\"", yaml, StringComparison.Ordinal);
        Assert.Contains("duration: 86400", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("...", yaml, StringComparison.Ordinal);
        Assert.Contains("data_dir: \"./.mirage\"\n", yaml, StringComparison.Ordinal);
        Assert.Contains("intents: \"\"\n", yaml, StringComparison.Ordinal);
        Assert.Contains("max_per_hour: 3\n", yaml, StringComparison.Ordinal);
        Assert.Contains("sleep:\n  sleep_after: null\n  wake_timeout: \"1m0s\"\n", yaml, StringComparison.Ordinal);
        Assert.Contains("routes_poll_interval: \"1s\"\n", yaml, StringComparison.Ordinal);
        Assert.EndsWith("access_log: true\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Unset_secrets_stay_empty_and_null_sections_are_null()
    {
        var yaml = ConfigDump.ToYaml(Load("auth:\n  token:\n    header: x-token\n").Config);

        Assert.Contains("cookie_secret: \"\"", yaml, StringComparison.Ordinal);
        Assert.Contains("token: \"\"", yaml, StringComparison.Ordinal);
        Assert.Contains("basic: null", yaml, StringComparison.Ordinal);
        Assert.Contains("purge: null", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("full.yml")]
    [InlineData("readme-spellings.yml")]
    public void Dump_loads_back_to_the_same_configuration(string sample)
    {
        var first = ConfigDump.ToYaml(Loader(Secrets).Load(Sample(sample), new ConfigLoaderOptions()).Config);

        var reloaded = Loader().Load(new ConfigText(first, "dump.yml"), new ConfigLoaderOptions());

        Assert.Empty(reloaded.Warnings);
        Assert.Equal(first, ConfigDump.ToYaml(reloaded.Config));
    }

    [Fact]
    public void Defaults_dump_loads_back_unchanged()
    {
        var first = ConfigDump.ToYaml(Loader().LoadDefaults(new ConfigLoaderOptions()).Config);

        Assert.Equal(first, ConfigDump.ToYaml(Loader().Load(new ConfigText(first, "dump.yml"), new ConfigLoaderOptions()).Config));
    }
}
