namespace Mirage.Model.Intents;

/// <summary>
/// The store cannot answer yet: its backing service failed and it waits before asking again, rather than hammering
/// it on every call. Nothing was read or written.
/// </summary>
/// <param name="retryAfter">When the store will ask its service again (an API answers it as <c>Retry-After</c>).</param>
public sealed class IntentStoreUnavailableException(string message, TimeSpan retryAfter, Exception? lastFailure = null)
    : Exception(message, lastFailure)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
