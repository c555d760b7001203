using Microsoft.Extensions.Hosting;

namespace Mirage.LocalEcs.Endpoints;

/// <summary>
/// The endpoint listener is a small host inside Mirage's. It must not handle SIGTERM itself (the default console
/// lifetime does): Mirage's host stops it, in order, after the tasks that use it.
/// </summary>
internal sealed class HostOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
