using Mirage.Model.Backend;

namespace Mirage.Model.Links;

/// <summary>Link records are off (no <c>link.hosted_zone_id</c>, or local mode).</summary>
public sealed class NoEnvironmentLinks : IEnvironmentLinks
{
    public Task<string?> SyncAsync(string subdomain, IReadOnlyList<ObservedTask> runningTasks, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);

    public Task<string?> RemoveAsync(string subdomain, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
