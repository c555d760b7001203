namespace Mirage.Model.Leadership;

/// <summary>
/// The shared lease as the store holds it. <see cref="Version"/> changes with every write (acquire, renew, release),
/// so a replica judges expiry by how long it has seen the same version on its own monotonic clock, never by comparing
/// its wall clock with the holder's.
/// </summary>
/// <param name="Holder">The replica holding the lease; empty when it was released or never taken.</param>
/// <param name="Term">Raised by one on every acquisition; fences the holder's writes.</param>
/// <param name="Version">Raised by one on every write to the lease.</param>
/// <param name="AcquiredAt">When the holder took this term, by the holder's clock (shown, never compared).</param>
/// <param name="RenewedAt">When the holder last renewed, by the holder's clock (shown, never compared).</param>
/// <param name="Replicas">Every replica's last heartbeat.</param>
public sealed record LeaseRecord(
    string Holder,
    long Term,
    long Version,
    DateTimeOffset AcquiredAt,
    DateTimeOffset RenewedAt,
    IReadOnlyList<ReplicaHeartbeat> Replicas)
{
    public static LeaseRecord None { get; } = new("", 0, 0, DateTimeOffset.MinValue, DateTimeOffset.MinValue, []);

    public bool IsHeld => Holder.Length > 0;
}
