namespace Mirage.Model.Intents;

/// <summary>A write based on a revision that is no longer the stored one.</summary>
public sealed class IntentConflictException(string subdomain, long expectedRevision, long actualRevision)
    : Exception($"intent {subdomain} is at revision {actualRevision}, not {expectedRevision}")
{
    public string Subdomain { get; } = subdomain;
    public long ExpectedRevision { get; } = expectedRevision;
    public long ActualRevision { get; } = actualRevision;
}
