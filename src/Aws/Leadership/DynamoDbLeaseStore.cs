using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Mirage.Model.Leadership;

namespace Mirage.Aws.Leadership;

/// <summary>
/// The lease as one DynamoDB item (partition key <c>name</c>): <c>holder</c>, <c>term</c>, <c>version</c>, the
/// holder's <c>acquired_at</c>/<c>renewed_at</c>, and one <c>replica:&lt;id&gt;</c> attribute per replica's
/// heartbeat. Every call is one UpdateItem that returns the item as written, so a heartbeat also reads the lease;
/// taking, renewing and releasing are conditional (DynamoDB refuses them with ConditionalCheckFailed when another
/// replica wrote first), heartbeats are not (each replica writes only its own attribute).
/// </summary>
public sealed class DynamoDbLeaseStore(IAmazonDynamoDB dynamoDb, string table, string leaseName) : ILeaseStore
{
    private const string ReplicaPrefix = "replica:";

    private static readonly Dictionary<string, string> Names = new()
    {
        ["#holder"] = "holder",
        ["#term"] = "term",
        ["#version"] = "version",
        ["#acquired"] = "acquired_at",
        ["#renewed"] = "renewed_at",
    };

    /// <summary>The table the store expects (what deploy/aws/terraform creates): partition key <c>name</c>, a string, on demand.</summary>
    public static CreateTableRequest TableDefinition(string table) => new()
    {
        TableName = table,
        AttributeDefinitions = [new AttributeDefinition("name", ScalarAttributeType.S)],
        KeySchema = [new KeySchemaElement("name", KeyType.HASH)],
        BillingMode = BillingMode.PAY_PER_REQUEST,
    };

    public async Task<LeaseRecord> HeartbeatAsync(ReplicaHeartbeat heartbeat, CancellationToken cancellationToken) =>
        await UpdateAsync("SET #r = :hb", null, heartbeat, [], cancellationToken)
        ?? throw new InvalidOperationException("an unconditional heartbeat was refused");

    public Task<LeaseRecord?> TryAcquireAsync(LeaseRecord seen, ReplicaHeartbeat holder, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":me"] = new() { S = holder.Id },
            [":term"] = Number(seen.Term + 1),
            [":version"] = Number(seen.Version + 1),
            [":now"] = new() { S = Time(holder.SeenAt) },
        };
        string condition;
        if (seen.Version == 0)
        {
            condition = "attribute_not_exists(#version)";
        }
        else
        {
            condition = "#version = :seen";
            values[":seen"] = Number(seen.Version);
        }
        return UpdateAsync("SET #holder = :me, #term = :term, #version = :version, #acquired = :now, #renewed = :now, #r = :hb",
            condition, holder, values, cancellationToken);
    }

    public Task<LeaseRecord?> TryRenewAsync(ReplicaHeartbeat holder, long term, CancellationToken cancellationToken) =>
        UpdateAsync("SET #version = #version + :one, #renewed = :now, #r = :hb", "#holder = :me AND #term = :term", holder,
            new Dictionary<string, AttributeValue>
            {
                [":me"] = new() { S = holder.Id },
                [":term"] = Number(term),
                [":one"] = Number(1),
                [":now"] = new() { S = Time(holder.SeenAt) },
            }, cancellationToken);

    public async Task<bool> ReleaseAsync(string holder, long term, CancellationToken cancellationToken)
    {
        try
        {
            await dynamoDb.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table,
                Key = Key(),
                UpdateExpression = "SET #holder = :nobody, #version = #version + :one",
                ConditionExpression = "#holder = :me AND #term = :term",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#holder"] = "holder", ["#term"] = "term", ["#version"] = "version" },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":nobody"] = new() { S = "" },
                    [":me"] = new() { S = holder },
                    [":term"] = Number(term),
                    [":one"] = Number(1),
                },
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public async Task ForgetReplicasAsync(IReadOnlyCollection<string> replicaIds, CancellationToken cancellationToken)
    {
        if (replicaIds.Count == 0)
        {
            return;
        }
        var names = replicaIds.Select((id, i) => ($"#gone{i}", ReplicaPrefix + id)).ToList();
        await dynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Key(),
            UpdateExpression = "REMOVE " + string.Join(", ", names.Select(n => n.Item1)),
            ExpressionAttributeNames = names.ToDictionary(n => n.Item1, n => n.Item2),
        }, cancellationToken);
    }

    private async Task<LeaseRecord?> UpdateAsync(
        string update, string? condition, ReplicaHeartbeat heartbeat, Dictionary<string, AttributeValue> values, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string> { ["#r"] = ReplicaPrefix + heartbeat.Id };
        foreach (var (alias, name) in Names)
        {
            if (update.Contains(alias, StringComparison.Ordinal) || condition?.Contains(alias, StringComparison.Ordinal) == true)
            {
                names[alias] = name;
            }
        }
        values[":hb"] = new AttributeValue
        {
            M = new Dictionary<string, AttributeValue>
            {
                ["address"] = new() { S = heartbeat.Address },
                ["seen_at"] = new() { S = Time(heartbeat.SeenAt) },
            },
        };
        try
        {
            var response = await dynamoDb.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table,
                Key = Key(),
                UpdateExpression = update,
                ConditionExpression = condition,
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
                ReturnValues = ReturnValue.ALL_NEW,
            }, cancellationToken);
            return Read(response.Attributes);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    private Dictionary<string, AttributeValue> Key() => new() { ["name"] = new AttributeValue { S = leaseName } };

    private static LeaseRecord Read(Dictionary<string, AttributeValue>? item)
    {
        if (item is null)
        {
            return LeaseRecord.None;
        }
        var replicas = new List<ReplicaHeartbeat>();
        foreach (var (name, value) in item)
        {
            if (name.StartsWith(ReplicaPrefix, StringComparison.Ordinal) && value.M is { } map)
            {
                replicas.Add(new ReplicaHeartbeat(
                    name[ReplicaPrefix.Length..],
                    map.TryGetValue("address", out var address) ? address.S ?? "" : "",
                    map.TryGetValue("seen_at", out var seen) ? ParseTime(seen.S) : DateTimeOffset.MinValue));
            }
        }
        return new LeaseRecord(
            item.TryGetValue("holder", out var holder) ? holder.S ?? "" : "",
            ParseNumber(item, "term"),
            ParseNumber(item, "version"),
            item.TryGetValue("acquired_at", out var acquired) ? ParseTime(acquired.S) : DateTimeOffset.MinValue,
            item.TryGetValue("renewed_at", out var renewed) ? ParseTime(renewed.S) : DateTimeOffset.MinValue,
            replicas);
    }

    private static long ParseNumber(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && long.TryParse(value.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : 0;

    private static DateTimeOffset ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) ? time : DateTimeOffset.MinValue;

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
