namespace Mirage.Aws.Intents;

/// <summary>
/// When to ask S3 again after failed attempts: exponential from <see cref="BaseDelay"/>, capped at
/// <see cref="MaxDelay"/>, with "equal jitter" (half the delay fixed, half random) so replicas that failed together
/// do not come back together.
/// </summary>
public sealed record LoadBackoff(TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public static LoadBackoff Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

    /// <summary>The pause after the <paramref name="failures"/>-th failure in a row (1 for the first).</summary>
    public TimeSpan DelayAfter(int failures, Random random)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var full = TimeSpan.FromTicks((long)Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * Math.Pow(2, exponent)));
        return full / 2 + full / 2 * random.NextDouble();
    }
}
