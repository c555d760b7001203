using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Mirage.Aws.Credentials;
using Mirage.Aws.Signing;

namespace Mirage.Aws.Tests.Moto;

/// <summary>
/// Raw calls that only tests make (create a cluster, register a task definition, find the default VPC's subnet…),
/// signed with our signer and sent straight to moto.
/// </summary>
public sealed class MotoSetup(MotoFixture moto)
{
    private static readonly AwsCredentials Credentials = new("testing", "testing");
    private readonly SigV4Signer _signer = new(TimeProvider.System);

    public Task<JsonNode> EcsAsync(string operation, JsonObject body, CancellationToken cancellationToken) =>
        JsonAsync("ecs", $"AmazonEC2ContainerServiceV20141113.{operation}", body, cancellationToken);

    public Task<JsonNode> LogsAsync(string operation, JsonObject body, CancellationToken cancellationToken) =>
        JsonAsync("logs", $"Logs_20140328.{operation}", body, cancellationToken);

    public async Task<JsonNode> JsonAsync(string service, string target, JsonObject body, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, moto.Endpoint) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        var text = await SendAsync(request, bytes, service, cancellationToken);
        return JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
    }

    public async Task<XDocument> QueryAsync(string service, string body, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, moto.Endpoint) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        return XDocument.Parse(await SendAsync(request, bytes, service, cancellationToken));
    }

    public async Task<XDocument> RestXmlAsync(string service, HttpMethod method, string path, string? body, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body ?? "");
        using var request = new HttpRequestMessage(method, new Uri(moto.Endpoint, path));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(bytes);
        }
        return XDocument.Parse(await SendAsync(request, bytes, service, cancellationToken));
    }

    /// <summary>A public hosted zone named <paramref name="name"/> (with its trailing dot); answers its id.</summary>
    public async Task<string> CreateHostedZoneAsync(string name, CancellationToken cancellationToken)
    {
        var created = await RestXmlAsync("route53", HttpMethod.Post, "/2013-04-01/hostedzone",
            $"""<CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Name>{name}</Name><CallerReference>zone-{Guid.NewGuid():N}</CallerReference></CreateHostedZoneRequest>""",
            cancellationToken);
        return created.Descendants().First(e => e.Name.LocalName == "Id").Value;
    }

    /// <summary>The default VPC's first subnet and security group (moto's awsvpc RunTask needs real ones).</summary>
    public async Task<(string Subnet, string SecurityGroup)> DefaultNetworkAsync(CancellationToken cancellationToken)
    {
        var subnets = await QueryAsync("ec2", "Action=DescribeSubnets&Version=2016-11-15", cancellationToken);
        var groups = await QueryAsync("ec2", "Action=DescribeSecurityGroups&Version=2016-11-15", cancellationToken);
        var subnet = subnets.Descendants().First(e => e.Name.LocalName == "subnetId").Value;
        var group = groups.Descendants().First(e => e.Name.LocalName == "groupId").Value;
        return (subnet, group);
    }

    /// <summary>A FARGATE/awsvpc task definition; container memory is set because moto's RunTask fails without it.</summary>
    public async Task<string> RegisterTaskDefinitionAsync(string family, CancellationToken cancellationToken, params (string Name, int Port)[] containers)
    {
        var definitions = new JsonArray();
        foreach (var (name, port) in containers)
        {
            definitions.Add(new JsonObject
            {
                ["name"] = name,
                ["image"] = "public.ecr.aws/nginx/nginx:latest",
                ["memory"] = 256,
                ["essential"] = true,
                ["portMappings"] = new JsonArray(new JsonObject { ["containerPort"] = port, ["hostPort"] = port, ["protocol"] = "tcp" }),
                ["logConfiguration"] = new JsonObject
                {
                    ["logDriver"] = "awslogs",
                    ["options"] = new JsonObject { ["awslogs-group"] = "/mirage/" + family, ["awslogs-stream-prefix"] = "app", ["awslogs-region"] = "us-east-1" },
                },
            });
        }
        var response = await EcsAsync("RegisterTaskDefinition", new JsonObject
        {
            ["family"] = family,
            ["networkMode"] = "awsvpc",
            ["requiresCompatibilities"] = new JsonArray("FARGATE"),
            ["cpu"] = "256",
            ["memory"] = "512",
            ["containerDefinitions"] = definitions,
        }, cancellationToken);
        return response["taskDefinition"]!["taskDefinitionArn"]!.GetValue<string>();
    }

    private async Task<string> SendAsync(HttpRequestMessage request, byte[] body, string service, CancellationToken cancellationToken)
    {
        _signer.Sign(request, body, Credentials, "us-east-1", service, ["content-type", "x-amz-target"]);
        using var response = await moto.Http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"moto {service} setup call failed: {(int)response.StatusCode} {text}");
        }
        return text;
    }
}
