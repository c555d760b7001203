namespace Mirage.Model.Intents;

/// <summary>Reasons of <see cref="EnvironmentIntent.Cause"/>; they become event reasons in the history.</summary>
public static class CauseReasons
{
    /// <summary>The ttl passed since the last launch.</summary>
    public const string Expired = "Expired";

    /// <summary>No proxied request for the idle window.</summary>
    public const string IdlePurged = "IdlePurged";

    /// <summary>Terminated by <c>/api/purge</c> or the purge schedule.</summary>
    public const string Purged = "Purged";

    /// <summary>Created or changed by the desired-environments file.</summary>
    public const string GitOpsApplied = "GitOpsApplied";

    /// <summary>Removed from the desired-environments file.</summary>
    public const string RemovedFromFile = "RemovedFromFile";

    /// <summary>The keep pin was set or cleared.</summary>
    public const string KeepChanged = "KeepChanged";

    /// <summary>Put to sleep (sleep_after passed, or someone asked); the message says which.</summary>
    public const string Slept = "Slept";

    /// <summary>Woken (a request to its host, a wake request); the message says which.</summary>
    public const string Woken = "Woken";

    /// <summary>A policy ended the environment (as opposed to someone asking).</summary>
    public static bool IsPolicy(string? reason) => reason is Expired or IdlePurged;
}
