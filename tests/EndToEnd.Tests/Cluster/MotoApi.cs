using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Mirage.Aws.Leadership;
using Mirage.Model.Launch;
using Mirage.TestKit.Aws;

namespace Mirage.EndToEnd.Tests.Cluster;

/// <summary>
/// What the cluster tests set up in moto and read back from it: the intent bucket, the lease table, an ECS cluster
/// with one task definition, and the tasks ECS runs (raw ECS and EC2 calls through TestKit's MotoCalls).
/// </summary>
internal sealed class MotoApi(Uri endpoint) : IDisposable
{
    public const string Bucket = "mirage-state";
    public const string LeaseTable = "mirage-lease";
    public const string EcsCluster = "previews";
    public const string TaskDefinition = "web";

    private readonly MotoCalls _calls = new(endpoint);
    private readonly BasicAWSCredentials _credentials = new("testing", "testing");

    public AmazonS3Client S3() => new(_credentials, new AmazonS3Config { ServiceURL = endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    /// <summary>The bucket, the lease table, the cluster and the task definition; answers the default subnet and security group.</summary>
    public async Task<(string Subnet, string SecurityGroup)> SetUpAsync(CancellationToken cancellationToken)
    {
        using (var s3 = S3())
        {
            await s3.PutBucketAsync(Bucket, cancellationToken);
        }
        using (var dynamoDb = new AmazonDynamoDBClient(_credentials, new AmazonDynamoDBConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = "us-east-1" }))
        {
            await dynamoDb.CreateTableAsync(DynamoDbLeaseStore.TableDefinition(LeaseTable), cancellationToken);
        }
        await _calls.EcsAsync("CreateCluster", new JsonObject { ["clusterName"] = EcsCluster }, cancellationToken);
        await _calls.EcsAsync("RegisterTaskDefinition", new JsonObject
        {
            ["family"] = TaskDefinition,
            ["networkMode"] = "awsvpc",
            ["requiresCompatibilities"] = new JsonArray("FARGATE"),
            ["cpu"] = "256",
            ["memory"] = "512",
            ["containerDefinitions"] = new JsonArray(new JsonObject
            {
                ["name"] = "app",
                ["image"] = "public.ecr.aws/nginx/nginx:latest",
                ["memory"] = 256,
                ["essential"] = true,
                ["portMappings"] = new JsonArray(new JsonObject { ["containerPort"] = 80, ["hostPort"] = 80, ["protocol"] = "tcp" }),
            }),
        }, cancellationToken);
        return await _calls.DefaultNetworkAsync(cancellationToken);
    }

    /// <summary>Every task of the cluster that is not stopped, by the subdomain on its tags.</summary>
    public async Task<ILookup<string, string>> LiveTasksBySubdomainAsync(CancellationToken cancellationToken)
    {
        var arns = new List<string>();
        string? next = null;
        do
        {
            var body = new JsonObject { ["cluster"] = EcsCluster, ["maxResults"] = 100 };
            if (next is not null)
            {
                body["nextToken"] = next;
            }
            var page = await _calls.EcsAsync("ListTasks", body, cancellationToken);
            arns.AddRange(page["taskArns"]!.AsArray().Select(a => a!.GetValue<string>()));
            next = page["nextToken"]?.GetValue<string>();
        }
        while (next is not null);
        var tasks = new List<(string Subdomain, string Arn)>();
        foreach (var chunk in arns.Chunk(100))
        {
            var described = await _calls.EcsAsync("DescribeTasks", new JsonObject
            {
                ["cluster"] = EcsCluster,
                ["tasks"] = new JsonArray([.. chunk.Select(a => (JsonNode)a)]),
                ["include"] = new JsonArray("TAGS"),
            }, cancellationToken);
            foreach (var task in described["tasks"]!.AsArray())
            {
                if (task!["lastStatus"]?.GetValue<string>() == "STOPPED" || task["desiredStatus"]?.GetValue<string>() == "STOPPED")
                {
                    continue;
                }
                var tags = (task["tags"]?.AsArray() ?? []).Select(t => new Mirage.Model.Backend.EcsTag(t!["key"]!.GetValue<string>(), t["value"]!.GetValue<string>()));
                tasks.Add((LaunchEnvironment.FindSubdomain(tags) ?? "", task["taskArn"]!.GetValue<string>()));
            }
        }
        return tasks.ToLookup(t => t.Subdomain, t => t.Arn);
    }

    /// <summary>The text of one object of the intent bucket.</summary>
    public async Task<string> ReadObjectAsync(string key, CancellationToken cancellationToken)
    {
        using var s3 = S3();
        using var response = await s3.GetObjectAsync(Bucket, key, cancellationToken);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <summary>The texts of the objects under <paramref name="prefix"/> whose keys end with <paramref name="suffix"/>.</summary>
    public async Task<IReadOnlyList<string>> ReadObjectsAsync(string prefix, string suffix, CancellationToken cancellationToken)
    {
        using var s3 = S3();
        var listed = await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = Bucket, Prefix = prefix }, cancellationToken);
        var texts = new List<string>();
        foreach (var item in (listed.S3Objects ?? []).Where(o => o.Key.EndsWith(suffix, StringComparison.Ordinal)))
        {
            texts.Add(await ReadObjectAsync(item.Key, cancellationToken));
        }
        return texts;
    }

    public void Dispose() => _calls.Dispose();
}
