using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Mirage.TestKit.Aws;

/// <summary>
/// Raw calls to moto for setting up and reading back what a test or benchmark needs. moto routes a request by the
/// service named in its Authorization header's credential scope and checks no signature, so the calls carry a
/// placeholder one.
/// </summary>
public sealed class MotoCalls(Uri moto) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = moto, Timeout = TimeSpan.FromSeconds(60) };

    public Task<JsonNode> EcsAsync(string operation, JsonObject body, CancellationToken cancellationToken = default) =>
        JsonAsync("ecs", "application/x-amz-json-1.1", "AmazonEC2ContainerServiceV20141113." + operation, body, cancellationToken);

    public Task<JsonNode> SqsAsync(string operation, JsonObject body, CancellationToken cancellationToken = default) =>
        JsonAsync("sqs", "application/x-amz-json-1.0", "AmazonSQS." + operation, body, cancellationToken);

    public Task<JsonNode> DynamoDbAsync(string operation, JsonObject body, CancellationToken cancellationToken = default) =>
        JsonAsync("dynamodb", "application/x-amz-json-1.0", "DynamoDB_20120810." + operation, body, cancellationToken);

    /// <summary>An empty bucket (S3's REST API: PUT /bucket).</summary>
    public async Task CreateBucketAsync(string bucket, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/" + bucket);
        request.Headers.TryAddWithoutValidation("Authorization", Authorization("s3"));
        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, "s3 CreateBucket", cancellationToken);
    }

    /// <summary>moto's default subnet and security group, for a FARGATE task's network configuration.</summary>
    public async Task<(string Subnet, string SecurityGroup)> DefaultNetworkAsync(CancellationToken cancellationToken = default)
    {
        var subnets = await QueryAsync("ec2", "Action=DescribeSubnets&Version=2016-11-15", cancellationToken);
        var groups = await QueryAsync("ec2", "Action=DescribeSecurityGroups&Version=2016-11-15", cancellationToken);
        return (subnets.Descendants().First(e => e.Name.LocalName == "subnetId").Value, groups.Descendants().First(e => e.Name.LocalName == "groupId").Value);
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonNode> JsonAsync(string service, string contentType, string target, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Headers.TryAddWithoutValidation("Authorization", Authorization(service));
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await EnsureSuccessAsync(response, target, cancellationToken);
        return JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
    }

    private async Task<XDocument> QueryAsync(string service, string body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Headers.TryAddWithoutValidation("Authorization", Authorization(service));
        using var response = await _http.SendAsync(request, cancellationToken);
        return XDocument.Parse(await EnsureSuccessAsync(response, service + " " + body, cancellationToken));
    }

    private static async Task<string> EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"moto: {what} answered {(int)response.StatusCode}: {text}");
    }

    private static string Authorization(string service) =>
        $"AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=00";
}
