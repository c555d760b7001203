namespace Mirage.Model.Leadership;

/// <summary>
/// A leader-only write was refused: this replica does not hold the lease, or its lease may have expired (its local
/// deadline passed), or the store holds a newer term's write. The write did not happen.
/// </summary>
public sealed class LeadershipLostException(string write, long term, string reason)
    : InvalidOperationException($"refused to {write}: {reason} (term {term})")
{
    public string Write => write;

    public long Term => term;
}
