namespace Mirage.Model.Routing;

/// <summary>
/// Holds the current route snapshot. The reconciler publishes, the Edge reads <see cref="Current"/> on every request;
/// a swap is one reference write, so requests in flight keep the snapshot they started with.
/// </summary>
public sealed class RouteTablePublisher
{
    private readonly Lock _publishGate = new();
    private RouteTable _current = RouteTable.Empty;
    private long _version;

    public RouteTable Current => Volatile.Read(ref _current);

    /// <summary>Where the current snapshot came from: this replica's reconciler, or the leader's shared table.</summary>
    public RouteTableOrigin Origin { get; private set; } = RouteTableOrigin.Reconciler;

    /// <summary>Raised after a new snapshot is visible.</summary>
    public event Action<RouteTable>? Published;

    public RouteTable Publish(IEnumerable<Route> routes, RouteTableOrigin origin = RouteTableOrigin.Reconciler)
    {
        RouteTable table;
        // Serialized so versions become visible in order.
        lock (_publishGate)
        {
            table = RouteTable.Create(routes, ++_version);
            Origin = origin;
            Volatile.Write(ref _current, table);
        }
        Published?.Invoke(table);
        return table;
    }
}
