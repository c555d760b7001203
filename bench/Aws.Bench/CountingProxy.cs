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
/// Loopback Kestrel between Mirage and moto: counts AWS calls by operation and pages ListTasks by 100 as ECS does
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

    /// <summary>ECS calls by operation since the last <see cref="Take"/>, and resets the counts.</summary>
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
        var operation = target.StartsWith(EcsPrefix, StringComparison.Ordinal) ? "ECS " + target[EcsPrefix.Length..]
            : target.StartsWith("AmazonSQS.", StringComparison.Ordinal) ? "SQS " + target["AmazonSQS.".Length..]
            : "other";
        _counts.AddOrUpdate(operation, 1, (_, n) => n + 1);

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
