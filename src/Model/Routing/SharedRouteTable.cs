namespace Mirage.Model.Routing;

/// <summary>
/// The route table as the leader shares it with the other replicas (one small JSON object). Readers ignore fields
/// they do not know, so a newer leader may add some.
/// </summary>
/// <param name="Term">The lease term of the leader that wrote it; a reader never goes back to an older term's table.</param>
/// <param name="Version">The leader's snapshot version within its term.</param>
/// <param name="Leader">The replica that wrote it.</param>
public sealed record SharedRouteTable(long Term, long Version, string Leader, DateTimeOffset PublishedAt, IReadOnlyList<Route> Routes);
