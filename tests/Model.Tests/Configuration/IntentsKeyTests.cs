using Mirage.Model.Configuration;
using static Mirage.Model.Tests.Configuration.ConfigFixtures;

namespace Mirage.Model.Tests.Configuration;

public sealed class IntentsKeyTests
{
    [Fact]
    public void Intents_defaults_to_empty_so_intents_stay_in_files()
    {
        var config = Load("host:\n  webapi: mirage.example.com\n").Config;

        Assert.Equal("", config.Intents);
        Assert.Contains("intents: \"\"", ConfigDump.ToYaml(config), StringComparison.Ordinal);
    }

    [Fact]
    public void Intents_takes_an_s3_url_and_is_dumped()
    {
        var loaded = Load("intents: s3://mirage-state/prod/intents/\n");

        Assert.Equal("s3://mirage-state/prod/intents/", loaded.Config.Intents);
        Assert.Empty(loaded.Warnings);
        Assert.Contains("intents: \"s3://mirage-state/prod/intents/\"", ConfigDump.ToYaml(loaded.Config), StringComparison.Ordinal);
    }

    [Fact]
    public void Intents_that_is_not_an_s3_url_is_an_error_that_says_what_to_write()
    {
        var error = LoadFails("intents: /var/lib/mirage\n");

        Assert.Contains("s3://bucket/prefix/", error.Message, StringComparison.Ordinal);
        Assert.Contains("/var/lib/mirage", error.Message, StringComparison.Ordinal);
    }
}
