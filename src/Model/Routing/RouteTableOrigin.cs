namespace Mirage.Model.Routing;

/// <summary>Where a replica's current route snapshot came from.</summary>
public enum RouteTableOrigin
{
    /// <summary>This replica's own reconciler (it leads, or runs alone).</summary>
    Reconciler,

    /// <summary>The table the leader shared (this replica follows).</summary>
    Shared,
}
