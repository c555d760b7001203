using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mirage.Model.Configuration;

namespace Mirage.Model.Tests.Configuration;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("30s", 30_000_000_0L)]
    [InlineData("5m", 3_000_000_000L)]
    [InlineData("1h30m", 54_000_000_000L)]
    [InlineData("500ms", 5_000_000L)]
    [InlineData("1.5s", 15_000_000L)]
    [InlineData(".5s", 5_000_000L)]
    [InlineData("1h2m3s4ms5us600ns", 37_230_040_056L)]
    [InlineData("100µs", 1_000L)]
    [InlineData("-2m", -1_200_000_000L)]
    [InlineData("0", 0L)]
    public void Parses_go_syntax(string text, long ticks)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromTicks(ticks), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("s")]
    [InlineData("1.2.3s")]
    [InlineData("5 m")]
    [InlineData("1d")]
    [InlineData("3000000h")]
    public void Rejects_what_go_rejects(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(5_000_000L, "500ms")]
    [InlineData(15_000_000L, "1.5s")]
    [InlineData(54_000_000_000L, "1h30m0s")]
    [InlineData(1_000L, "100µs")]
    [InlineData(1L, "100ns")]
    [InlineData(-600_000_000L, "-1m0s")]
    public void Formats_as_go_duration_string(long ticks, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromTicks(ticks)));
    }

    [Property(MaxTest = 1000)]
    public Property Format_then_parse_is_the_identity()
    {
        var ticks = ArbMap.Default.ArbFor<long>().Convert(t => t % (long.MaxValue / 200), t => t);
        return Prop.ForAll(ticks, t =>
            GoDuration.TryParse(GoDuration.Format(TimeSpan.FromTicks(t)), out var parsed) && parsed == TimeSpan.FromTicks(t));
    }
}
