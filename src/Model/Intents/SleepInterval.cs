namespace Mirage.Model.Intents;

/// <summary>One stretch of sleep: from when the environment went to sleep until it was woken (null: still asleep).</summary>
public sealed record SleepInterval(DateTimeOffset From, DateTimeOffset? To)
{
    /// <summary>How far back intervals are kept: a week, the span the UI reports, plus a day of slack.</summary>
    public static readonly TimeSpan Keep = TimeSpan.FromDays(8);

    /// <summary>At most this many intervals are kept, however often an environment sleeps (the status stays small).</summary>
    public const int MaxCount = 200;

    /// <summary>Time asleep within [<paramref name="since"/>, <paramref name="now"/>] over <paramref name="intervals"/>.</summary>
    public static TimeSpan SleptSince(IEnumerable<SleepInterval> intervals, DateTimeOffset since, DateTimeOffset now)
    {
        var total = TimeSpan.Zero;
        foreach (var interval in intervals)
        {
            var from = interval.From > since ? interval.From : since;
            var to = interval.To is { } end && end < now ? end : now;
            if (to > from)
            {
                total += to - from;
            }
        }
        return total;
    }

    /// <summary>The intervals once the state moved from asleep or not (<paramref name="wasAsleep"/>) to <paramref name="isAsleep"/> at <paramref name="now"/>, pruned.</summary>
    public static IReadOnlyList<SleepInterval> Record(IReadOnlyList<SleepInterval> intervals, bool wasAsleep, bool isAsleep, DateTimeOffset now)
    {
        if (wasAsleep == isAsleep && intervals.All(i => i.To is null || i.To > now - Keep))
        {
            return intervals;
        }
        var list = intervals.Where(i => i.To is null || i.To > now - Keep).ToList();
        if (!wasAsleep && isAsleep && list.LastOrDefault() is not { To: null })
        {
            list.Add(new SleepInterval(now, null));
        }
        else if (wasAsleep && !isAsleep && list.Count > 0 && list[^1].To is null)
        {
            list[^1] = list[^1] with { To = now };
        }
        return list.Count > MaxCount ? list[^MaxCount..] : list;
    }
}
