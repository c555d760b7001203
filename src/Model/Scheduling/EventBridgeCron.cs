using System.Globalization;

namespace Mirage.Model.Scheduling;

/// <summary>
/// An EventBridge (CloudWatch Events) cron expression, as mirage-ecs's <c>purge.schedule</c> takes it: six fields,
/// <c>minutes hours day-of-month month day-of-week year</c>. Fields take <c>*</c>, lists (<c>,</c>), ranges
/// (<c>-</c>) and steps (<c>/</c>); months and days of week also take names (<c>JAN</c>, <c>MON</c>); days of week
/// run 1 (SUN) to 7 (SAT). One of day-of-month and day-of-week must be <c>?</c>. Day-of-month also takes <c>L</c>
/// (last day), <c>LW</c> (last weekday) and <c>15W</c> (weekday nearest the 15th); day-of-week takes <c>6L</c> (last
/// Friday) and <c>2#1</c> (first Monday). Times are wall-clock times in the given time zone.
/// </summary>
public sealed class EventBridgeCron
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private const int MinYear = 1970;
    private const int MaxYear = 2199;

    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _months;
    private readonly bool[] _years;
    private readonly DayOfMonthRule? _dayOfMonth;
    private readonly DayOfWeekRule? _dayOfWeek;

    private EventBridgeCron(string expression, bool[] minutes, bool[] hours, DayOfMonthRule? dayOfMonth, bool[] months, DayOfWeekRule? dayOfWeek, bool[] years)
    {
        Expression = expression;
        _minutes = minutes;
        _hours = hours;
        _dayOfMonth = dayOfMonth;
        _months = months;
        _dayOfWeek = dayOfWeek;
        _years = years;
    }

    public string Expression { get; }

    /// <exception cref="FormatException">The expression is not valid; the message says which field and what to write.</exception>
    public static EventBridgeCron Parse(string expression)
    {
        var fields = expression.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            throw new FormatException($"\"{expression}\" has {fields.Length} fields; write 6: minutes hours day-of-month month day-of-week year, e.g. \"13 4 * * ? *\"");
        }
        var minutes = Field(fields[0], "minutes", 0, 59, null);
        var hours = Field(fields[1], "hours", 0, 23, null);
        var months = Field(fields[3], "month", 1, 12, MonthNames);
        var years = Field(fields[5], "year", MinYear, MaxYear, null);
        var domAny = fields[2] == "?";
        var dowAny = fields[4] == "?";
        if (domAny == dowAny)
        {
            throw new FormatException($"\"{expression}\": exactly one of day-of-month ({fields[2]}) and day-of-week ({fields[4]}) must be ?; e.g. \"0 4 * * ? *\" (every day) or \"0 4 ? * MON-FRI *\" (weekdays)");
        }
        return new EventBridgeCron(string.Join(' ', fields), minutes, hours,
            domAny ? null : DayOfMonthRule.Parse(fields[2]), months, dowAny ? null : DayOfWeekRule.Parse(fields[4]), years);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when there is none (the year field ran out).</summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        var day = local.Date;
        while (day.Year <= MaxYear)
        {
            if (!_years[day.Year - MinYear])
            {
                day = new DateTime(day.Year + 1, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
                continue;
            }
            if (!_months[day.Month])
            {
                day = new DateTime(day.Year, day.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1);
                continue;
            }
            if (MatchesDay(day))
            {
                for (var hour = 0; hour < 24; hour++)
                {
                    if (!_hours[hour])
                    {
                        continue;
                    }
                    for (var minute = 0; minute < 60; minute++)
                    {
                        if (!_minutes[minute])
                        {
                            continue;
                        }
                        var wallClock = day.AddHours(hour).AddMinutes(minute);
                        if (zone.IsInvalidTime(wallClock))
                        {
                            // Skipped by a clock change (spring forward): there is no such time today.
                            continue;
                        }
                        var at = new DateTimeOffset(wallClock, zone.GetUtcOffset(wallClock));
                        if (at > after)
                        {
                            return at;
                        }
                    }
                }
            }
            day = day.AddDays(1);
        }
        return null;
    }

    private bool MatchesDay(DateTime day) =>
        _dayOfMonth is not null ? _dayOfMonth.Matches(day) : _dayOfWeek is null || _dayOfWeek.Matches(day);

    /// <summary>A field of numbers: <c>*</c>, <c>a</c>, <c>a-b</c>, <c>*/n</c>, <c>a/n</c>, <c>a-b/n</c>, comma-separated.</summary>
    private static bool[] Field(string text, string name, int min, int max, string[]? names)
    {
        var allowed = new bool[max + 1 - (min == MinYear ? MinYear : 0)];
        var offset = min == MinYear ? MinYear : 0;
        foreach (var part in text.Split(','))
        {
            var (from, to, step) = Range(part, name, min, max, names);
            for (var value = from; value <= to; value += step)
            {
                allowed[value - offset] = true;
            }
        }
        return allowed;
    }

    internal static (int From, int To, int Step) Range(string part, string name, int min, int max, string[]? names)
    {
        var slash = part.IndexOf('/', StringComparison.Ordinal);
        var rangeText = slash >= 0 ? part[..slash] : part;
        var step = 1;
        if (slash >= 0 && (!int.TryParse(part[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1))
        {
            throw new FormatException($"{name}: \"{part}\" has a bad step; write a positive number after /, e.g. */5");
        }
        int from, to;
        if (rangeText == "*")
        {
            (from, to) = (min, max);
        }
        else
        {
            var dash = rangeText.IndexOf('-', StringComparison.Ordinal);
            from = Value(dash >= 0 ? rangeText[..dash] : rangeText, name, min, max, names);
            to = dash >= 0 ? Value(rangeText[(dash + 1)..], name, min, max, names) : slash >= 0 ? max : from;
            if (to < from)
            {
                throw new FormatException($"{name}: \"{part}\" runs backwards; write the smaller value first, e.g. {min}-{max}");
            }
        }
        return (from, to, step);
    }

    internal static int Value(string text, string name, int min, int max, string[]? names)
    {
        if (names is not null)
        {
            var index = Array.FindIndex(names, n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                return index + 1;
            }
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            var spelled = names is null ? "" : $" or {names[0]}-{names[^1]}";
            throw new FormatException($"{name}: \"{text}\" is not a value from {min} to {max}{spelled}");
        }
        return value;
    }

    /// <summary>Day-of-month: numbers, ranges and steps, or <c>L</c>, <c>LW</c>, <c>nW</c>.</summary>
    private sealed class DayOfMonthRule
    {
        private readonly bool[] _days = new bool[32];
        private bool _last;
        private bool _lastWeekday;
        private readonly List<int> _nearestWeekday = [];

        public static DayOfMonthRule Parse(string text)
        {
            var rule = new DayOfMonthRule();
            foreach (var part in text.Split(','))
            {
                if (part.Equals("L", StringComparison.OrdinalIgnoreCase))
                {
                    rule._last = true;
                }
                else if (part.Equals("LW", StringComparison.OrdinalIgnoreCase))
                {
                    rule._lastWeekday = true;
                }
                else if (part.EndsWith('W') || part.EndsWith('w'))
                {
                    rule._nearestWeekday.Add(Value(part[..^1], "day-of-month", 1, 31, null));
                }
                else
                {
                    var (from, to, step) = Range(part, "day-of-month", 1, 31, null);
                    for (var day = from; day <= to; day += step)
                    {
                        rule._days[day] = true;
                    }
                }
            }
            return rule;
        }

        public bool Matches(DateTime day)
        {
            var length = DateTime.DaysInMonth(day.Year, day.Month);
            if (_days[day.Day] || (_last && day.Day == length))
            {
                return true;
            }
            if (_lastWeekday && day.Day == NearestWeekday(day.Year, day.Month, length))
            {
                return true;
            }
            return _nearestWeekday.Any(n => n <= length && day.Day == NearestWeekday(day.Year, day.Month, n));
        }

        // The weekday nearest the given day, never leaving the month (Quartz's W).
        private static int NearestWeekday(int year, int month, int day)
        {
            var length = DateTime.DaysInMonth(year, month);
            return new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified).DayOfWeek switch
            {
                DayOfWeek.Saturday => day == 1 ? 3 : day - 1,
                DayOfWeek.Sunday => day == length ? day - 2 : day + 1,
                _ => day,
            };
        }
    }

    /// <summary>Day-of-week (1 = SUN … 7 = SAT): numbers, names, ranges and steps, or <c>nL</c> and <c>n#k</c>.</summary>
    private sealed class DayOfWeekRule
    {
        private readonly bool[] _days = new bool[8];
        private readonly List<int> _lastOfMonth = [];
        private readonly List<(int Day, int Nth)> _nth = [];

        public static DayOfWeekRule Parse(string text)
        {
            var rule = new DayOfWeekRule();
            foreach (var part in text.Split(','))
            {
                var hash = part.IndexOf('#', StringComparison.Ordinal);
                if (part.Equals("L", StringComparison.OrdinalIgnoreCase))
                {
                    rule._days[7] = true;
                }
                else if (part.Length > 1 && (part.EndsWith('L') || part.EndsWith('l')))
                {
                    rule._lastOfMonth.Add(Value(part[..^1], "day-of-week", 1, 7, DayNames));
                }
                else if (hash >= 0)
                {
                    var nth = Value(part[(hash + 1)..], "day-of-week (the number after #)", 1, 5, null);
                    rule._nth.Add((Value(part[..hash], "day-of-week", 1, 7, DayNames), nth));
                }
                else
                {
                    var (from, to, step) = Range(part, "day-of-week", 1, 7, DayNames);
                    for (var day = from; day <= to; day += step)
                    {
                        rule._days[day] = true;
                    }
                }
            }
            return rule;
        }

        public bool Matches(DateTime day)
        {
            var dayOfWeek = (int)day.DayOfWeek + 1;
            if (_days[dayOfWeek])
            {
                return true;
            }
            var length = DateTime.DaysInMonth(day.Year, day.Month);
            if (_lastOfMonth.Contains(dayOfWeek) && day.Day + 7 > length)
            {
                return true;
            }
            return _nth.Any(n => n.Day == dayOfWeek && (day.Day - 1) / 7 + 1 == n.Nth);
        }
    }
}
