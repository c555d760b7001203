namespace Mirage.Model.Intents;

/// <summary>
/// The store cannot answer yet: its backing service failed and it waits before asking again, rather than hammering
/// it on every call. Nothing was read or written.
/// </summary>
public sealed class IntentStoreUnavailableException(string message, Exception? lastFailure = null) : Exception(message, lastFailure);
