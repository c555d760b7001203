using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mirage.Model.Intents;

namespace Mirage.Api.Health;

/// <summary>Ready only while the intent store answers a listing within a few seconds: without it nothing can be launched.</summary>
public sealed class IntentStoreHealthCheck(IIntentStore store, TimeProvider time) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var intents = await store.ListAsync(linked.Token);
            return HealthCheckResult.Healthy($"{intents.Count} intents");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The type only: a store's message may name a bucket or a path, and this answer needs no sign-in.
            return HealthCheckResult.Unhealthy($"the intent store did not answer ({e.GetType().Name})");
        }
    }
}
