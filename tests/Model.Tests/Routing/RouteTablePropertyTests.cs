using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mirage.Model.Routing;

namespace Mirage.Model.Tests.Routing;

/// <summary>
/// RouteTable precedence: an exact subdomain wins; otherwise the earliest-launched matching pattern (ties by task id,
/// then by pattern), whatever order the routes were given in. The oracle below decides with
/// <see cref="GoPathMatchModel"/> and a LINQ ordering, not with RouteTable's own code.
/// <para>
/// These properties catch a wrong precedence rule. Checked by hand: with ComparePrecedence changed to "longest pattern
/// first" (the rule mirage-ecs explicitly does not use), FindsTheEarliestLaunchedMatchingPattern, RemovingTheWinner...
/// and MirageEcsReverseProxyScenario all fail — e.g. routes foo-* (launched first) and foo-bar-* (later), host
/// foo-bar-baz: longest match answers foo-bar-*, the oracle foo-*. With "latest launch first" they fail the same way.
/// </para>
/// </summary>
public sealed class RouteTablePropertyTests
{
    private static readonly Config Thorough = Config.QuickThrowOnFailure.WithMaxTest(1000);
    private static readonly DateTimeOffset Epoch = new(2024, 3, 14, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Patterns =
        ["foo-*", "foo-bar-*", "*-baz", "*", "f*", "*a*", "foo-?ar-*", "[a-f]*", "*-[0-9]", "ba?-*", "pr-[0-9]*", "*-x", "[^f]*"];
    private static readonly string[] ExactNames = ["foo-bar-baz", "foo-1", "bar-baz", "pr-42", "api", "foo-x"];
    private static readonly string[] Words = ["foo", "bar", "baz", "api", "pr", "1", "42", "x"];

    private static Gen<string> Host() =>
        Gen.OneOf(
            Gen.Elements(ExactNames),
            Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Gen.Elements(Words), n)).Select(w => string.Join("-", w)));

    // Few distinct launch times and task ids, so ties are common.
    private static Gen<Route> RouteFor(string subdomain) =>
        Gen.Choose(0, 4).Zip(Gen.Elements("task-a", "task-b", "task-c"))
            .Select(t => new Route(subdomain, Epoch.AddMinutes(t.Item1), t.Item2, new Dictionary<int, IReadOnlyList<RouteDestination>>()));

    private static Gen<Route[]> Routes(string[] subdomains) =>
        Gen.SubListOf(subdomains).SelectMany(s => Gen.CollectToArray(s.Select(RouteFor)));

    private sealed record Scenario(Route[] Routes, Route[] Shuffled, string[] Hosts);

    private static Gen<Scenario> Scenarios() =>
        from routes in Routes([.. Patterns, .. ExactNames])
        from shuffled in Gen.Shuffle(routes)
        from hosts in Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(Host(), n))
        select new Scenario(routes, shuffled, hosts);

    private static Route? Expected(IEnumerable<Route> routes, string host)
    {
        var list = routes.ToList();
        return list.Find(r => !r.IsPattern && r.Subdomain == host)
            ?? list.Where(r => r.IsPattern && GoPathMatchModel.Match(r.Subdomain, host) == true)
                .OrderBy(r => r.LaunchedAt)
                .ThenBy(r => r.TaskId, StringComparer.Ordinal)
                .ThenBy(r => r.Subdomain, StringComparer.Ordinal)
                .FirstOrDefault();
    }

    [Fact]
    public void FindsTheEarliestLaunchedMatchingPatternWhateverTheInsertionOrder()
    {
        var patternWins = 0;
        Prop.ForAll(Arb.From(Scenarios()), s =>
        {
            var inOrder = RouteTable.Create(s.Routes, 1);
            var shuffled = RouteTable.Create(s.Shuffled, 2);
            foreach (var host in s.Hosts)
            {
                var expected = Expected(s.Routes, host);
                Assert.Same(expected, inOrder.Find(host));
                Assert.Same(expected, shuffled.Find(host));
                patternWins += expected is { IsPattern: true } ? 1 : 0;
            }
        }).Check(Thorough);
        Assert.True(patternWins > 500, $"only {patternWins} hosts were won by a pattern");
    }

    [Fact]
    public void RemovingTheWinnerHandsTheHostToTheNextEarliestMatch()
    {
        var handedOver = 0;
        Prop.ForAll(Arb.From(Scenarios()), s =>
        {
            var table = RouteTable.Create(s.Shuffled, 1);
            foreach (var host in s.Hosts)
            {
                var winner = table.Find(host);
                if (winner is null)
                {
                    continue;
                }
                var remaining = s.Shuffled.Where(r => !ReferenceEquals(r, winner)).ToArray();
                var next = RouteTable.Create(remaining, 2).Find(host);
                Assert.NotSame(winner, next);
                Assert.Same(Expected(remaining, host), next);
                handedOver += next is not null ? 1 : 0;
            }
        }).Check(Thorough);
        Assert.True(handedOver > 500, $"only {handedOver} hosts had a next route");
    }

    [Property(MaxTest = 1000)]
    public Property AnExactRouteBeatsEveryPattern()
    {
        var gen =
            from patterns in Routes(Patterns)
            from host in Host()
            from exact in RouteFor(host)
            from shuffled in Gen.Shuffle(patterns.Append(exact))
            select (Host: host, Exact: exact, Routes: shuffled);
        return Prop.ForAll(Arb.From(gen), c => Assert.Same(c.Exact, RouteTable.Create(c.Routes, 1).Find(c.Host)));
    }

    [Property(MaxTest = 1000)]
    public Property CachedAnswersEqualFreshOnes()
    {
        return Prop.ForAll(Arb.From(Scenarios()), s =>
        {
            var table = RouteTable.Create(s.Shuffled, 1);
            // Hosts twice over: the second pass is served from the per-host cache.
            foreach (var host in s.Hosts.Concat(s.Hosts))
            {
                var first = table.Find(host);
                var second = table.Find(host);
                var fresh = RouteTable.Create(s.Shuffled, 2).Find(host);
                Assert.Same(fresh, first);
                Assert.Same(fresh, second);
            }
        });
    }

    // mirage-ecs reverseproxy_test.go TestReverseProxy, wildcard part.
    [Fact]
    public void MirageEcsReverseProxyScenario()
    {
        var fooAny = RouteAt("foo-*", 0);
        var fooBarAny = RouteAt("foo-bar-*", 1);
        var anyBaz = RouteAt("*-baz", 2);

        Assert.Same(fooAny, RouteTable.Create([anyBaz, fooBarAny, fooAny], 1).Find("foo-bar-baz"));
        Assert.Same(fooBarAny, RouteTable.Create([anyBaz, fooBarAny], 2).Find("foo-bar-baz"));
        Assert.Same(anyBaz, RouteTable.Create([anyBaz], 3).Find("foo-bar-baz"));
        Assert.Null(RouteTable.Create([fooBarAny, anyBaz], 4).Find("bar-foo"));

        var exact = RouteAt("foo-bar-baz", 3);
        Assert.Same(exact, RouteTable.Create([fooAny, fooBarAny, anyBaz, exact], 5).Find("foo-bar-baz"));
    }

    [Fact]
    public void LaunchTimeTiesGoToTheSmallerTaskId()
    {
        var later = new Route("foo-*", Epoch, "task-b", new Dictionary<int, IReadOnlyList<RouteDestination>>());
        var earlier = new Route("*-baz", Epoch, "task-a", new Dictionary<int, IReadOnlyList<RouteDestination>>());
        Assert.Same(earlier, RouteTable.Create([later, earlier], 1).Find("foo-baz"));
    }

    [Fact]
    public void RejectsTwoRoutesForOneSubdomain()
    {
        var error = Assert.Throws<ArgumentException>(() => RouteTable.Create([RouteAt("foo-*", 0), RouteAt("foo-*", 1)], 1));
        Assert.Contains("duplicate route for foo-*", error.Message, StringComparison.Ordinal);
    }

    private static Route RouteAt(string subdomain, int minute) =>
        new(subdomain, Epoch.AddMinutes(minute), $"task-{minute}", new Dictionary<int, IReadOnlyList<RouteDestination>>());
}
