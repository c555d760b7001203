using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;

namespace Mirage.Api.Environments;

/// <summary>Waits until the reconciler reports an intent's revision Ready, or Failed: what <c>"wait": true</c> launches need.</summary>
public sealed class EnvironmentWaiter(IIntentStore store, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public async Task<WaitOutcome> WaitAsync(EnvironmentIntent intent, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            var current = await store.GetAsync(intent.Subdomain, cancellationToken);
            if (current is null || current.Revision != intent.Revision)
            {
                return new WaitOutcome(WaitResult.Superseded, $"environment {intent.Subdomain} was changed by another request while waiting");
            }
            var status = await store.GetStatusAsync(intent.Subdomain, cancellationToken);
            if (status is not null && status.ObservedRevision == intent.Revision)
            {
                var ready = status.Find(ConditionTypes.Ready);
                if (ready?.Status == ConditionStatus.True)
                {
                    return new WaitOutcome(WaitResult.Ready, "ready");
                }
                if (status.State == LifecycleState.Failed)
                {
                    return new WaitOutcome(WaitResult.Failed, $"environment {intent.Subdomain} failed: {ready?.Message ?? "see its events"}");
                }
            }
            if (time.GetUtcNow() >= deadline)
            {
                var state = status?.State.ToString().ToLowerInvariant() ?? "pending";
                return new WaitOutcome(WaitResult.TimedOut, $"environment {intent.Subdomain} is not ready after {timeout.TotalSeconds:0}s; it is {state}");
            }
            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }
}

public enum WaitResult
{
    Ready,
    Failed,
    TimedOut,
    Superseded,
}

public sealed record WaitOutcome(WaitResult Result, string Message);
