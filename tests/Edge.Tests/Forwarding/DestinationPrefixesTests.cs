using Mirage.Edge.Forwarding;
using Mirage.Model.Routing;

namespace Mirage.Edge.Tests.Forwarding;

public sealed class DestinationPrefixesTests
{
    [Fact]
    public void A_destination_prefix_is_built_once_and_brackets_an_IPv6_host()
    {
        var prefixes = new DestinationPrefixes();

        var first = prefixes.For(new RouteDestination("127.0.0.23", 8080));

        Assert.Equal("http://127.0.0.23:8080", first);
        Assert.Same(first, prefixes.For(new RouteDestination("127.0.0.23", 8080)));
        Assert.Equal("http://[fd00::17]:80", prefixes.For(new RouteDestination("fd00::17", 80)));
    }

    [Fact]
    public void Past_its_bound_the_cache_starts_over_and_still_answers_right()
    {
        var prefixes = new DestinationPrefixes();
        for (var port = 1; port <= DestinationPrefixes.MaxEntries + 5; port++)
        {
            Assert.Equal($"http://127.0.0.1:{port}", prefixes.For(new RouteDestination("127.0.0.1", port)));
        }

        Assert.True(prefixes.Count <= DestinationPrefixes.MaxEntries);
    }
}
