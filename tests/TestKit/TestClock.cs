namespace Mirage.TestKit;

/// <summary>
/// Where a test's <c>FakeTimeProvider</c> starts when the test does not care: a fixed instant, so dates in
/// tokens and journals are the same on every run (FakeTimeProvider's own default is the year 2000).
/// </summary>
public static class TestClock
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
}
