using Mirage.Model.Leadership;
using Mirage.Model.Routing;

namespace Mirage.Api.Cluster;

/// <summary><c>GET /api/cluster</c>: the replicas, the leader, the term and the lease's age, as this replica sees them.</summary>
public static class ClusterEndpoints
{
    public static RouteGroupBuilder MapClusterEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/cluster", (ILeadership leadership, RouteTablePublisher routes) => Results.Json(Describe(leadership, routes), ClusterJsonContext.Default.ClusterResponse))
            .WithTags("cluster")
            .WithSummary("The replicas, which one leads, the lease's term and age, and the routes this replica serves")
            .Produces<ClusterResponse>();
        return api;
    }

    public static ClusterResponse Describe(ILeadership leadership, RouteTablePublisher routes)
    {
        var view = leadership.View;
        var table = routes.Current;
        return new ClusterResponse(
            view.Mode,
            view.Self,
            view.Leader,
            leadership.IsLeader,
            view.Term,
            view.LeaseAge?.TotalSeconds,
            view.LeaseDuration.TotalSeconds,
            view.LeaderSince,
            [.. view.Replicas.Select(r => new ClusterReplica(r.Id, r.Address, r.SeenAt, r.Id == view.Leader))],
            new ClusterRoutes(
                routes.Origin == RouteTableOrigin.Shared ? "shared" : "reconciler",
                table.Version,
                table.Count,
                [.. table.Routes.Select(r => r.Subdomain).Order(StringComparer.Ordinal)]));
    }
}
