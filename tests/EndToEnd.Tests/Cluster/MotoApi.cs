using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Mirage.Aws.Leadership;
using Mirage.Model.Launch;

namespace Mirage.EndToEnd.Tests.Cluster;

/// <summary>
/// What the cluster tests set up in moto and read back from it: the intent bucket, the lease table, an ECS cluster
/// with one task definition, and the tasks ECS runs. moto routes a request by the service named in its
/// Authorization header and does not check the signature, so the raw ECS and EC2 calls carry a placeholder.
/// </summary>
internal sealed class MotoApi(Uri endpoint) : IDisposable
{
    public const string Bucket = "mirage-state";
    public const string LeaseTable = "mirage-lease";
    public const string EcsCluster = "previews";
    public const string TaskDefinition = "web";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
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
        await EcsAsync("CreateCluster", new JsonObject { ["clusterName"] = EcsCluster }, cancellationToken);
        await EcsAsync("RegisterTaskDefinition", new JsonObject
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
        var subnets = await Ec2Async("DescribeSubnets", cancellationToken);
        var groups = await Ec2Async("DescribeSecurityGroups", cancellationToken);
        return (subnets.Descendants().First(e => e.Name.LocalName == "subnetId").Value, groups.Descendants().First(e => e.Name.LocalName == "groupId").Value);
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
            var page = await EcsAsync("ListTasks", body, cancellationToken);
            arns.AddRange(page["taskArns"]!.AsArray().Select(a => a!.GetValue<string>()));
            next = page["nextToken"]?.GetValue<string>();
        }
        while (next is not null);
        var tasks = new List<(string Subdomain, string Arn)>();
        foreach (var chunk in arns.Chunk(100))
        {
            var described = await EcsAsync("DescribeTasks", new JsonObject
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

    public void Dispose() => _http.Dispose();

    private async Task<JsonNode> EcsAsync(string operation, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonEC2ContainerServiceV20141113." + operation);
        var text = await SendAsync(request, "ecs", cancellationToken);
        return JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
    }

    private async Task<XDocument> Ec2Async(string action, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent($"Action={action}&Version=2016-11-15", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        return XDocument.Parse(await SendAsync(request, "ec2", cancellationToken));
    }

    private async Task<string> SendAsync(HttpRequestMessage request, string service, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0");
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"moto {service} setup call failed: {(int)response.StatusCode} {text}");
    }
}
