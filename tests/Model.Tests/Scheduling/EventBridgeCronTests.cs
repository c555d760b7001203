using Mirage.Model.Scheduling;

namespace Mirage.Model.Tests.Scheduling;

public sealed class EventBridgeCronTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    [Fact]
    public void Every_three_minutes_at_11_22_33_is_next_at_11_24_as_in_mirage_ecs()
    {
        var cron = EventBridgeCron.Parse("*/3 * * * ? *");

        Assert.Equal(Utc(2024, 11, 1, 11, 24, 0), cron.Next(Utc(2024, 11, 1, 11, 22, 33), TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("13 4 * * ? *", "2026-01-01T10:00:00", "2026-01-02T04:13:00")]
    [InlineData("13 4 * * ? *", "2026-01-01T04:13:00", "2026-01-02T04:13:00")]
    [InlineData("0/15 9-10 * * ? *", "2026-01-01T10:50:00", "2026-01-02T09:00:00")]
    [InlineData("10-20/5 0 * * ? *", "2026-01-01T00:12:00", "2026-01-01T00:15:00")]
    [InlineData("0 12 ? * MON-FRI *", "2026-01-02T13:00:00", "2026-01-05T12:00:00")]
    [InlineData("0 12 ? * 1,7 *", "2026-01-01T00:00:00", "2026-01-03T12:00:00")]
    [InlineData("0 0 L * ? *", "2026-02-01T00:00:00", "2026-02-28T00:00:00")]
    [InlineData("0 0 L * ? *", "2028-02-01T00:00:00", "2028-02-29T00:00:00")]
    [InlineData("0 0 LW * ? *", "2026-01-01T00:00:00", "2026-01-30T00:00:00")]
    [InlineData("0 0 15W * ? *", "2026-08-01T00:00:00", "2026-08-14T00:00:00")]
    [InlineData("0 0 1W * ? *", "2026-08-01T00:00:00", "2026-08-03T00:00:00")]
    [InlineData("0 0 ? * 6L *", "2026-01-01T00:00:00", "2026-01-30T00:00:00")]
    [InlineData("0 0 ? * 2#1 *", "2026-01-01T00:00:00", "2026-01-05T00:00:00")]
    [InlineData("0 0 ? * MON#3 *", "2026-01-01T00:00:00", "2026-01-19T00:00:00")]
    [InlineData("30 8 1 JAN-MAR ? 2027", "2026-06-01T00:00:00", "2027-01-01T08:30:00")]
    [InlineData("0 0 29 FEB ? *", "2026-01-01T00:00:00", "2028-02-29T00:00:00")]
    public void Next_occurrence(string expression, string after, string expected)
    {
        var cron = EventBridgeCron.Parse(expression);
        var from = DateTimeOffset.Parse(after + "Z", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(DateTimeOffset.Parse(expected + "Z", System.Globalization.CultureInfo.InvariantCulture), cron.Next(from, TimeZoneInfo.Utc));
    }

    [Fact]
    public void A_year_list_that_ran_out_has_no_next_occurrence()
    {
        Assert.Null(EventBridgeCron.Parse("0 0 * * ? 2020").Next(Utc(2026, 1, 1, 0, 0), TimeZoneInfo.Utc));
    }

    [Fact]
    public void Times_are_wall_clock_times_in_the_zone()
    {
        var tokyo = TimeZoneInfo.CreateCustomTimeZone("JST", TimeSpan.FromHours(9), "JST", "JST");

        var next = EventBridgeCron.Parse("13 4 * * ? *").Next(Utc(2026, 1, 1, 0, 0), tokyo);

        Assert.Equal(Utc(2026, 1, 1, 19, 13), next);
        Assert.Equal(TimeSpan.FromHours(9), next!.Value.Offset);
    }

    [Theory]
    [InlineData("* * * * *", "has 5 fields")]
    [InlineData("* * * * * *", "exactly one of day-of-month (*) and day-of-week (*) must be ?")]
    [InlineData("60 * * * ? *", "minutes: \"60\" is not a value from 0 to 59")]
    [InlineData("0 24 * * ? *", "hours: \"24\" is not a value from 0 to 23")]
    [InlineData("0 0 * FOO ? *", "month: \"FOO\" is not a value from 1 to 12 or JAN-DEC")]
    [InlineData("0 0 ? * 8 *", "day-of-week: \"8\" is not a value from 1 to 7 or SUN-SAT")]
    [InlineData("*/0 * * * ? *", "minutes: \"*/0\" has a bad step")]
    [InlineData("30-10 * * * ? *", "minutes: \"30-10\" runs backwards")]
    [InlineData("0 0 ? * 2#6 *", "day-of-week (the number after #): \"6\" is not a value from 1 to 5")]
    [InlineData("0 0 * * ? 1800", "year: \"1800\" is not a value from 1970 to 2199")]
    public void Bad_expressions_say_which_field_and_what_is_allowed(string expression, string expected)
    {
        var error = Assert.Throws<FormatException>(() => EventBridgeCron.Parse(expression));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
