using Mirage.Model.Backend;

namespace Mirage.Model.Links;

/// <summary>
/// mirage link: DNS records that let an environment's containers reach each other by name
/// (<c>{container}.{subdomain}.{zone}</c>). Reconciled, not queued: each call makes the records match the tasks given.
/// </summary>
public interface IEnvironmentLinks
{
    /// <summary>Makes the environment's records point at these RUNNING tasks; returns a short description of what changed, or null.</summary>
    Task<string?> SyncAsync(string subdomain, IReadOnlyList<ObservedTask> runningTasks, CancellationToken cancellationToken);

    /// <summary>Removes every record of the environment; returns a short description of what changed, or null.</summary>
    Task<string?> RemoveAsync(string subdomain, CancellationToken cancellationToken);
}
