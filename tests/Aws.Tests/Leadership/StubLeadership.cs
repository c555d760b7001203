using Mirage.Model.Leadership;

namespace Mirage.Aws.Tests.Leadership;

/// <summary>A fixed leadership: leads (with a term) or not, as the test says.</summary>
internal sealed class StubLeadership(string id, bool leading, long term) : ILeadership
{
    public string ReplicaId => id;

    public CancellationToken LeadingToken => leading ? CancellationToken.None : new CancellationToken(canceled: true);

    public bool IsLeader => leading;

    public event Action<bool>? LeadershipChanged
    {
        add { }
        remove { }
    }

    public long EnsureLeading(string write) => leading ? term : throw new LeadershipLostException(write, term, "a follower");

    public ClusterView View => new(id, leading ? id : null, term, null, null, TimeSpan.Zero, [], "lease");
}
