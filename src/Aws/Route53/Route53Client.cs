using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Mirage.Aws.Endpoints;
using Mirage.Aws.Transport;

namespace Mirage.Aws.Route53;

/// <summary>Route53 over restXml (2013-04-01). Responses are read by local name: moto answers in the 2012-12-12 namespace.</summary>
public sealed class Route53Client(HttpClient httpClient, AwsClientContext context)
{
    public static readonly XNamespace Namespace = "https://route53.amazonaws.com/doc/2013-04-01/";

    /// <summary>A ChangeResourceRecordSets batch holds at most 1000 changes.</summary>
    public const int MaxChangesPerBatch = 1000;

    private const int MaxPages = 10_000;

    private readonly AwsServiceCaller _caller = new(httpClient, context, AwsService.Route53);

    public async Task<HostedZone> GetHostedZoneAsync(string hostedZoneId, CancellationToken cancellationToken)
    {
        var id = BareZoneId(hostedZoneId);
        var response = await _caller.SendAsync("GetHostedZone", () => Get($"/2013-04-01/hostedzone/{Uri.EscapeDataString(id)}"), retryable: true, cancellationToken);
        var zone = AwsQueryProtocol.ReadXml(response, "Route53", "GetHostedZone").Descendant("HostedZone")
            ?? throw new InvalidDataException($"Route53 GetHostedZone returned no HostedZone for {id}");
        return new HostedZone(
            zone.ChildValue("Id") ?? id,
            zone.ChildValue("Name") ?? "",
            long.TryParse(zone.ChildValue("ResourceRecordSetCount"), CultureInfo.InvariantCulture, out var count) ? count : null);
    }

    /// <summary>
    /// Applies the changes atomically. Retried on throttling and 5xx only when every change is an UPSERT: a repeated
    /// CREATE or DELETE that already took effect would fail the batch.
    /// </summary>
    public async Task<ChangeInfo> ChangeResourceRecordSetsAsync(string hostedZoneId, IReadOnlyList<ResourceRecordSetChange> changes, string? comment, CancellationToken cancellationToken)
    {
        if (changes.Count is 0 or > MaxChangesPerBatch)
        {
            throw new ArgumentException($"A Route53 change batch holds 1 to {MaxChangesPerBatch} changes (got {changes.Count}).", nameof(changes));
        }
        var id = BareZoneId(hostedZoneId);
        var body = Encoding.UTF8.GetBytes(ChangeBatchXml(changes, comment).ToString(SaveOptions.DisableFormatting));
        var retryable = changes.All(c => c.Action == ChangeAction.Upsert);
        var response = await _caller.SendAsync(
            "ChangeResourceRecordSets",
            () => new AwsHttpRequest(HttpMethod.Post, $"/2013-04-01/hostedzone/{Uri.EscapeDataString(id)}/rrset/", body, "application/xml", []),
            retryable,
            cancellationToken);
        var info = AwsQueryProtocol.ReadXml(response, "Route53", "ChangeResourceRecordSets").Descendant("ChangeInfo");
        return new ChangeInfo(
            info.ChildValue("Id") ?? "",
            info.ChildValue("Status") ?? "",
            DateTimeOffset.TryParse(info.ChildValue("SubmittedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null);
    }

    /// <summary>Every record set of the zone from (startName, startType) on, following NextRecordName/Type.</summary>
    public async Task<IReadOnlyList<ResourceRecordSet>> ListResourceRecordSetsAsync(string hostedZoneId, string? startName = null, string? startType = null, int pageSize = 300, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 300);
        var id = BareZoneId(hostedZoneId);
        var records = new List<ResourceRecordSet>();
        string? name = startName, type = startName is null ? null : startType, identifier = null;
        var seen = new HashSet<(string?, string?, string?)>();
        for (var page = 0; page < MaxPages; page++)
        {
            var query = new StringBuilder($"?maxitems={pageSize.ToString(CultureInfo.InvariantCulture)}");
            if (name is not null)
            {
                query.Append("&name=").Append(Uri.EscapeDataString(name));
            }
            if (type is not null)
            {
                query.Append("&type=").Append(Uri.EscapeDataString(type));
            }
            if (identifier is not null)
            {
                query.Append("&identifier=").Append(Uri.EscapeDataString(identifier));
            }
            var path = $"/2013-04-01/hostedzone/{Uri.EscapeDataString(id)}/rrset{query}";
            var response = await _caller.SendAsync("ListResourceRecordSets", () => Get(path), retryable: true, cancellationToken);
            var root = AwsQueryProtocol.ReadXml(response, "Route53", "ListResourceRecordSets").Root;
            records.AddRange(root.Child("ResourceRecordSets").Children("ResourceRecordSet").Select(ParseRecordSet));
            if (!string.Equals(root.ChildValue("IsTruncated"), "true", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }
            (name, type, identifier) = (root.ChildValue("NextRecordName"), root.ChildValue("NextRecordType"), root.ChildValue("NextRecordIdentifier"));
            if (name is null || !seen.Add((name, type, identifier)))
            {
                break;
            }
        }
        return records;
    }

    /// <summary>"/hostedzone/Z123" and "Z123" both name zone Z123.</summary>
    public static string BareZoneId(string id) => id[(id.LastIndexOf('/') + 1)..];

    public static XDocument ChangeBatchXml(IReadOnlyList<ResourceRecordSetChange> changes, string? comment)
    {
        var batch = new XElement(Namespace + "ChangeBatch");
        if (comment is not null)
        {
            batch.Add(new XElement(Namespace + "Comment", comment));
        }
        batch.Add(new XElement(Namespace + "Changes", changes.Select(change =>
        {
            var set = change.RecordSet;
            var recordSet = new XElement(Namespace + "ResourceRecordSet",
                new XElement(Namespace + "Name", set.Name),
                new XElement(Namespace + "Type", set.Type));
            if (set.SetIdentifier is not null)
            {
                recordSet.Add(new XElement(Namespace + "SetIdentifier", set.SetIdentifier));
            }
            if (set.Weight is { } weight)
            {
                recordSet.Add(new XElement(Namespace + "Weight", weight.ToString(CultureInfo.InvariantCulture)));
            }
            if (set.Ttl is { } ttl)
            {
                recordSet.Add(new XElement(Namespace + "TTL", ttl.ToString(CultureInfo.InvariantCulture)));
            }
            recordSet.Add(new XElement(Namespace + "ResourceRecords",
                set.Values.Select(v => new XElement(Namespace + "ResourceRecord", new XElement(Namespace + "Value", v)))));
            return new XElement(Namespace + "Change",
                new XElement(Namespace + "Action", change.Action.ToString().ToUpperInvariant()),
                recordSet);
        })));
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), new XElement(Namespace + "ChangeResourceRecordSetsRequest", batch));
    }

    private static ResourceRecordSet ParseRecordSet(XElement element) => new()
    {
        Name = element.ChildValue("Name") ?? "",
        Type = element.ChildValue("Type") ?? "",
        Ttl = long.TryParse(element.ChildValue("TTL"), CultureInfo.InvariantCulture, out var ttl) ? ttl : null,
        SetIdentifier = element.ChildValue("SetIdentifier"),
        Weight = long.TryParse(element.ChildValue("Weight"), CultureInfo.InvariantCulture, out var weight) ? weight : null,
        Values = [.. element.Child("ResourceRecords").Children("ResourceRecord").Select(r => r.ChildValue("Value") ?? "")],
    };

    private static AwsHttpRequest Get(string pathAndQuery) => new(HttpMethod.Get, pathAndQuery, [], null, []);
}
