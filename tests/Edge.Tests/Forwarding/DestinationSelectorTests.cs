using Microsoft.Extensions.Time.Testing;
using Mirage.Edge.Forwarding;
using Mirage.Model.Routing;
using Mirage.TestKit;

namespace Mirage.Edge.Tests.Forwarding;

public sealed class DestinationSelectorTests
{
    private static readonly RouteDestination A = new("127.0.0.1", 1001);
    private static readonly RouteDestination B = new("127.0.0.1", 1002);
    private static readonly RouteDestination C = new("127.0.0.1", 1003);

    [Fact]
    public void Requests_are_spread_evenly()
    {
        var selector = new DestinationSelector(new FakeTimeProvider(TestClock.Start), new EdgeOptions());

        var picks = Enumerable.Range(0, 300).Select(_ => selector.Pick([A, B, C])).GroupBy(d => d).ToDictionary(g => g.Key!, g => g.Count());

        Assert.Equal(100, picks[A]);
        Assert.Equal(100, picks[B]);
        Assert.Equal(100, picks[C]);
    }

    [Fact]
    public void A_refusing_destination_is_skipped_until_the_cooldown_passes()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        var selector = new DestinationSelector(clock, new EdgeOptions { RefusedDestinationCooldown = TimeSpan.FromSeconds(10) });

        selector.MarkRefused(B);

        Assert.DoesNotContain(B, Enumerable.Range(0, 50).Select(_ => selector.Pick([A, B, C])));
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Contains(B, Enumerable.Range(0, 50).Select(_ => selector.Pick([A, B, C])));
    }

    [Fact]
    public void With_everything_out_of_rotation_a_destination_is_still_tried()
    {
        var selector = new DestinationSelector(new FakeTimeProvider(TestClock.Start), new EdgeOptions());
        selector.MarkRefused(A);
        selector.MarkRefused(B);

        Assert.NotNull(selector.Pick([A, B]));
        Assert.Equal(A, selector.Pick([A]));
    }

    [Fact]
    public void The_retry_pick_excludes_the_failed_destination()
    {
        var selector = new DestinationSelector(new FakeTimeProvider(TestClock.Start), new EdgeOptions());

        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal(B, selector.Pick([A, B], exclude: A)));
        Assert.Null(selector.Pick([A], exclude: A));
        Assert.Null(selector.Pick([], exclude: null));
    }
}
