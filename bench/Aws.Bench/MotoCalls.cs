using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Mirage.Aws.Bench;

/// <summary>Raw calls to moto that only the benchmark makes (moto routes by the credential scope and checks no signature).</summary>
public sealed class MotoCalls(Uri moto) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = moto, Timeout = TimeSpan.FromSeconds(60) };

    public Task<JsonNode> EcsAsync(string operation, JsonObject body) =>
        JsonAsync("ecs", "application/x-amz-json-1.1", "AmazonEC2ContainerServiceV20141113." + operation, body);

    public Task<JsonNode> SqsAsync(string operation, JsonObject body) =>
        JsonAsync("sqs", "application/x-amz-json-1.0", "AmazonSQS." + operation, body);

    public Task<JsonNode> DynamoDbAsync(string operation, JsonObject body) =>
        JsonAsync("dynamodb", "application/x-amz-json-1.0", "DynamoDB_20120810." + operation, body);

    /// <summary>The cluster <c>mirage</c> and the FARGATE task definition <c>web</c> (one container on port 80); answers the default network.</summary>
    public async Task<(string Subnet, string SecurityGroup)> SetUpClusterAsync()
    {
        await EcsAsync("CreateCluster", new JsonObject { ["clusterName"] = "mirage" });
        await EcsAsync("RegisterTaskDefinition", JsonNode.Parse("""
            {"family":"web","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
             "containerDefinitions":[{"name":"app","image":"nginx","memory":256,"essential":true,"portMappings":[{"containerPort":80,"hostPort":80,"protocol":"tcp"}]}]}
            """)!.AsObject());
        return await DefaultNetworkAsync();
    }

    /// <summary>An empty bucket (S3's REST API: PUT /bucket).</summary>
    public async Task CreateBucketAsync(string bucket)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/" + bucket);
        request.Headers.TryAddWithoutValidation("Authorization", Authorization("s3"));
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    public async Task<(string Subnet, string SecurityGroup)> DefaultNetworkAsync()
    {
        var subnets = await QueryAsync("ec2", "Action=DescribeSubnets&Version=2016-11-15");
        var groups = await QueryAsync("ec2", "Action=DescribeSecurityGroups&Version=2016-11-15");
        return (subnets.Descendants().First(e => e.Name.LocalName == "subnetId").Value, groups.Descendants().First(e => e.Name.LocalName == "groupId").Value);
    }

    /// <summary>An ECS Task State Change event for a DescribeTasks entry, as EventBridge puts it on the queue.</summary>
    public static string TaskStateChange(JsonNode task, long version)
    {
        var detail = task.DeepClone().AsObject();
        detail.Remove("tags");
        foreach (var name in new[] { "createdAt", "startedAt", "stoppingAt", "stoppedAt", "pullStartedAt", "pullStoppedAt", "executionStoppedAt" })
        {
            if (detail[name] is JsonValue value && value.TryGetValue<double>(out var seconds))
            {
                detail[name] = Iso(DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)));
            }
        }
        detail["version"] = version;
        detail["updatedAt"] = Iso(TimeProvider.System.GetUtcNow());
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "ECS Task State Change",
            ["source"] = "aws.ecs",
            ["account"] = "123456789012",
            ["time"] = Iso(TimeProvider.System.GetUtcNow()),
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray(detail["taskArn"]!.GetValue<string>()),
            ["detail"] = detail,
        }.ToJsonString();
    }

    public void Dispose() => _http.Dispose();

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private async Task<JsonNode> JsonAsync(string service, string contentType, string target, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Headers.TryAddWithoutValidation("Authorization", Authorization(service));
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{target} answered {(int)response.StatusCode}: {text}");
        }
        return JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
    }

    private async Task<XDocument> QueryAsync(string service, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Headers.TryAddWithoutValidation("Authorization", Authorization(service));
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static string Authorization(string service) =>
        $"AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=00";
}
