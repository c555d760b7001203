using Mirage.Model.Routing;

namespace Mirage.Edge.Tests.Support;

public static class RouteFactory
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A route whose target ports map to loopback backends on the given host ports.</summary>
    public static Route To(string subdomain, int launchedMinute, params (int Target, int[] Ports)[] targets) =>
        new(subdomain, Epoch.AddMinutes(launchedMinute), $"task-{subdomain}",
            targets.ToDictionary(
                t => t.Target,
                t => (IReadOnlyList<RouteDestination>)[.. t.Ports.Select(p => new RouteDestination("127.0.0.1", p))]));

    public static Route To(string subdomain, int launchedMinute, int target, params int[] ports) =>
        To(subdomain, launchedMinute, (target, ports));
}
