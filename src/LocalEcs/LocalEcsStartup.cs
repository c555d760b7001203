using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mirage.LocalEcs;

/// <summary>
/// At start: reports task definition files that cannot be used, and re-attaches journaled tasks before the
/// reconciler first lists them. At stop: stops every local task so no process outlives Mirage.
/// </summary>
internal sealed class LocalEcsStartup(
    LocalEcsBackend backend,
    TaskDefinitions.TaskDefinitionCatalog catalog,
    ILogger<LocalEcsStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var problem in catalog.LoadAll().Errors)
        {
            Log.TaskDefinitionProblem(logger, problem);
        }
        await backend.EnsureLoadedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => backend.DisposeAsync().AsTask();
}
