namespace Mirage.Aws.Route53;

// Shapes of the Route53 API (2013-04-01) Mirage uses.

public sealed record HostedZone(string Id, string Name, long? ResourceRecordSetCount)
{
    /// <summary>The bare id (Z…), without the <c>/hostedzone/</c> prefix the API puts on it.</summary>
    public string ShortId => Route53Client.BareZoneId(Id);
}

/// <summary>A simple or weighted record set; alias records are out of Mirage's scope.</summary>
public sealed record ResourceRecordSet
{
    /// <summary>Fully qualified, with the trailing dot as Route53 returns it.</summary>
    public required string Name { get; init; }
    public required string Type { get; init; }
    public long? Ttl { get; init; }
    public IReadOnlyList<string> Values { get; init; } = [];
    public string? SetIdentifier { get; init; }
    public long? Weight { get; init; }
}

public enum ChangeAction
{
    Create,
    Delete,
    Upsert,
}

public sealed record ResourceRecordSetChange(ChangeAction Action, ResourceRecordSet RecordSet);

public sealed record ChangeInfo(string Id, string Status, DateTimeOffset? SubmittedAt);
