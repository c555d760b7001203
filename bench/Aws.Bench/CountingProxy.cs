using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Mirage.TestKit;

namespace Mirage.Aws.Bench;

/// <summary>
/// Loopback Kestrel between Mirage and moto: counts AWS calls by service and operation (a conditional S3 GET answered
/// 304 on its own line) and pages ListTasks by 100 as ECS does
/// (moto answers every task on one page), so the counts are what ECS would see.
/// </summary>
public sealed class CountingProxy : IAsyncDisposable
{
    public const string EcsPrefix = "AmazonEC2ContainerServiceV20141113.";

    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly HttpClient _upstream = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly Uri _target;
    private WebApplication? _app;

    private CountingProxy(Uri target) => _target = target;

    public Uri Endpoint { get; private set; } = null!;

    public static async Task<CountingProxy> StartAsync(Uri target)
    {
        var proxy = new CountingProxy(target);
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        proxy._app = app;
        proxy.Endpoint = new Uri($"http://127.0.0.1:{port}");
        return proxy;
    }

    /// <summary>AWS calls by service and operation since the last <see cref="Take"/>, and resets the counts.</summary>
    public IReadOnlyDictionary<string, int> Take()
    {
        var taken = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in _counts.Keys)
        {
            if (_counts.TryRemove(key, out var count))
            {
                taken[key] = count;
            }
        }
        return taken;
    }

    /// <summary>"ECS RunTask", "SQS ReceiveMessage", "DynamoDB UpdateItem", "CloudWatch PutMetricData", "S3 GetObject"…</summary>
    private static string Classify(HttpRequest request, string target, byte[] body)
    {
        if (target.StartsWith(EcsPrefix, StringComparison.Ordinal))
        {
            return "ECS " + target[EcsPrefix.Length..];
        }
        if (target.Length > 0 && target.LastIndexOf('.') is var dot and > 0)
        {
            var service = target[..dot] switch
            {
                "AmazonSQS" => "SQS",
                "DynamoDB_20120810" => "DynamoDB",
                "GraniteServiceVersion20100801" => "CloudWatch",
                "Logs_20140328" => "Logs",
                var other => other,
            };
            return service + " " + target[(dot + 1)..];
        }
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Contains("/s3/aws4_request", StringComparison.Ordinal))
        {
            return request.Method switch
            {
                "GET" when request.Query.ContainsKey("list-type") => "S3 ListObjectsV2",
                "GET" => "S3 GetObject",
                "PUT" => "S3 PutObject",
                "DELETE" => "S3 DeleteObject",
                var method => "S3 " + method,
            };
        }
        if (authorization.Contains("/monitoring/aws4_request", StringComparison.Ordinal))
        {
            var action = System.Web.HttpUtility.ParseQueryString(Encoding.UTF8.GetString(body))["Action"];
            return "CloudWatch " + (action ?? "?");
        }
        return "other";
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var operation = Classify(context.Request, target, body);

        var paging = operation == "ECS ListTasks";
        var offset = 0;
        if (paging && JsonNode.Parse(body)?["nextToken"] is { } token)
        {
            offset = int.Parse(token.GetValue<string>()[5..], System.Globalization.CultureInfo.InvariantCulture);
        }
        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_target, context.Request.Path + context.Request.QueryString));
        forward.Content = new ByteArrayContent(body);
        foreach (var (name, value) in context.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (!forward.Headers.TryAddWithoutValidation(name, value.ToArray()))
            {
                forward.Content.Headers.TryAddWithoutValidation(name, value.ToArray());
            }
        }
        using var response = await _upstream.SendAsync(forward, context.RequestAborted);
        var answer = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (paging && response.IsSuccessStatusCode)
        {
            var arns = JsonNode.Parse(answer)!["taskArns"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
            var page = new JsonObject { ["taskArns"] = new JsonArray([.. arns.Skip(offset).Take(100).Select(a => (JsonNode)a)]) };
            if (offset + 100 < arns.Count)
            {
                page["nextToken"] = "page-" + (offset + 100).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            answer = Encoding.UTF8.GetBytes(page.ToJsonString());
        }
        // Counted once answered, so a conditional GET that S3 answered 304 is told apart from one that sent a body.
        var counted = operation == "S3 GetObject" && response.StatusCode == HttpStatusCode.NotModified ? "S3 GetObject 304" : operation;
        _counts.AddOrUpdate(counted, 1, (_, n) => n + 1);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name is not ("Transfer-Encoding" or "Content-Length" or "Connection" or "Server" or "Date"))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }
        if (response.StatusCode is not (HttpStatusCode.NotModified or HttpStatusCode.NoContent))
        {
            await context.Response.Body.WriteAsync(answer, context.RequestAborted);
        }
    }
}
