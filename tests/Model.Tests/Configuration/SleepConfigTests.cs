using Mirage.Model.Configuration;
using Mirage.Model.Intents;
using static Mirage.Model.Tests.Configuration.ConfigFixtures;

namespace Mirage.Model.Tests.Configuration;

public sealed class SleepConfigTests
{
    [Fact]
    public void Nothing_sleeps_by_default_and_a_wake_waits_60s()
    {
        var config = Load("host:\n  webapi: mirage.example.net\n").Config;

        Assert.Null(config.Sleep.SleepAfter);
        Assert.Equal(TimeSpan.FromSeconds(60), config.Sleep.WakeTimeout);
    }

    [Fact]
    public void Sleep_reads_its_keys_zero_means_never_and_the_dump_loads_back()
    {
        var config = Load("sleep:\n  sleep_after: 30m\n  wake_timeout: 90s\n").Config;

        Assert.Equal(TimeSpan.FromMinutes(30), config.Sleep.SleepAfter);
        Assert.Equal(TimeSpan.FromSeconds(90), config.Sleep.WakeTimeout);
        Assert.Null(Load("sleep:\n  sleep_after: 0s\n").Config.Sleep.SleepAfter);
        Assert.Equal(config.Sleep, Load(ConfigDump.ToYaml(config)).Config.Sleep);
    }

    [Theory]
    [InlineData("sleep:\n  sleep_after: 1s\n", "mirage.yml:2:16: sleep.sleep_after: 1s is too short; write at least \"5s\"")]
    [InlineData("sleep:\n  sleep_after: soon\n", "mirage.yml:2:16: sleep.sleep_after")]
    [InlineData("sleep:\n  wake_timeout: 1h\n", "mirage.yml:2:17: sleep.wake_timeout: 1h0m0s is out of range; write 1s to 15m")]
    public void Bad_values_say_where_and_what_to_write(string yaml, string expectedStart)
    {
        Assert.StartsWith(expectedStart, LoadFails(yaml).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_environments_own_sleep_after_wins_and_zero_turns_the_default_off()
    {
        var defaults = new SleepConfig { SleepAfter = TimeSpan.FromHours(1) };

        Assert.Equal(TimeSpan.FromHours(1), SleepPolicy.Effective(LifecyclePolicy.Default, defaults));
        Assert.Equal(TimeSpan.FromMinutes(10), SleepPolicy.Effective(new LifecyclePolicy(SleepAfter: TimeSpan.FromMinutes(10)), defaults));
        Assert.Null(SleepPolicy.Effective(new LifecyclePolicy(SleepAfter: TimeSpan.Zero), defaults));
        Assert.Null(SleepPolicy.Parse("2s", "sleep_after", out var tooShort));
        Assert.Equal("sleep_after: 2s is too short; write at least 5s, or \"0\" for never", tooShort);
        Assert.Equal(TimeSpan.Zero, SleepPolicy.Parse("0", "sleep_after", out var none));
        Assert.Null(none);
    }
}
