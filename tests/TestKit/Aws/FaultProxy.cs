using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mirage.TestKit.Aws;

/// <summary>
/// A loopback Kestrel app between the clients and moto: injects throttling and 5xx answers for the first N matching
/// requests, records what it saw, and (optionally) applies ECS's real page limits that moto does not: ListTasks pages of
/// at most 100 (or maxResults) with nextToken, and DescribeTasks refusing more than 100 tasks.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<(string? Operation, FaultKind Kind, int Remaining)> _faults = [];
    private readonly List<RecordedRequest> _requests = [];
    private readonly Dictionary<string, string> _taskGroups = new(StringComparer.Ordinal);
    private readonly HttpClient _upstream = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly Uri _target;
    private readonly bool _enforceEcsLimits;
    private readonly bool _enforceS3IfMatch;
    private WebApplication? _app;

    private FaultProxy(Uri target, bool enforceEcsLimits, bool enforceS3IfMatch)
    {
        _target = target;
        _enforceEcsLimits = enforceEcsLimits;
        _enforceS3IfMatch = enforceS3IfMatch;
    }

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <param name="enforceS3IfMatch">
    /// Answer 412 to a PUT or DELETE whose If-Match is not the object's current ETag (or whose object is missing), as
    /// S3 does; moto 5.1.1 ignores If-Match on both.
    /// </param>
    public static async Task<FaultProxy> StartAsync(Uri target, bool enforceEcsLimits = false, bool enforceS3IfMatch = false)
    {
        var proxy = new FaultProxy(target, enforceEcsLimits, enforceS3IfMatch);
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

    /// <summary>The next <paramref name="times"/> requests for <paramref name="operation"/> (any when null) get <paramref name="kind"/>.</summary>
    public void Inject(FaultKind kind, int times, string? operation = null)
    {
        lock (_gate)
        {
            _faults.Add((operation, kind, times));
        }
    }

    /// <summary>DescribeTasks reports <paramref name="group"/> for the task (moto 5.1.1 keeps no task group; ECS does).</summary>
    public void SetTaskGroup(string taskArn, string group)
    {
        lock (_gate)
        {
            _taskGroups[taskArn] = group;
        }
    }

    /// <summary>Drops the faults not yet served: the service is healthy again.</summary>
    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    public void ClearRecords()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    public int Count(string operation) => Requests.Count(r => r.Operation == operation);

    /// <summary>Requests by <see cref="RecordedRequest.Call"/> since the last take, and forgets them (the AWS benchmark's counts).</summary>
    public IReadOnlyDictionary<string, int> TakeCalls()
    {
        lock (_gate)
        {
            var calls = _requests.GroupBy(r => r.Call, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            _requests.Clear();
            return calls;
        }
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
        var receivedAt = TimeProvider.System.GetUtcNow();
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var isJson = target.Length > 0;
        var operation = isJson ? target[(target.LastIndexOf('.') + 1)..] : OperationFromQuery(context.Request, body);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

        var fault = TakeFault(operation);
        if (fault is null && _enforceS3IfMatch && await IfMatchFailsAsync(context))
        {
            fault = FaultKind.PreconditionFailed;
        }
        var status = fault switch
        {
            FaultKind.Throttle => await WriteErrorAsync(context, 400, isJson ? "ThrottlingException" : "Throttling", "Rate exceeded", isJson),
            FaultKind.ServerError => await WriteErrorAsync(context, 500, "InternalFailure", "injected failure", isJson),
            FaultKind.ClientError => await WriteErrorAsync(context, 400, "ClientException", "injected client error", isJson),
            FaultKind.PreconditionFailed => await WriteS3ErrorAsync(context, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold"),
            _ => 0,
        };
        if (status == 0)
        {
            status = await ForwardAsync(context, body, operation, fault == FaultKind.ForwardThenServerError, isJson);
        }
        lock (_gate)
        {
            _requests.Add(new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, operation, headers, status, receivedAt,
                AwsCallNames.Of(context.Request, target, body, status)));
        }
    }

    private FaultKind? TakeFault(string? operation)
    {
        lock (_gate)
        {
            for (var i = 0; i < _faults.Count; i++)
            {
                var (op, kind, remaining) = _faults[i];
                if (remaining > 0 && (op is null || op == operation))
                {
                    _faults[i] = (op, kind, remaining - 1);
                    return kind;
                }
            }
            return null;
        }
    }

    private async Task<int> ForwardAsync(HttpContext context, byte[] body, string? operation, bool thenFail, bool isJson)
    {
        var ecsPaging = _enforceEcsLimits && isJson && operation is "ListTasks" or "DescribeTasks";
        JsonObject? request = ecsPaging ? JsonNode.Parse(body)!.AsObject() : null;
        if (ecsPaging && operation == "DescribeTasks" && request!["tasks"]!.AsArray().Count > 100)
        {
            return await WriteErrorAsync(context, 400, "InvalidParameterException", "Tasks cannot be more than 100.", true);
        }
        var offset = 0;
        var pageSize = 100;
        if (ecsPaging && operation == "ListTasks")
        {
            offset = request!["nextToken"] is { } token ? int.Parse(token.GetValue<string>()[5..], System.Globalization.CultureInfo.InvariantCulture) : 0;
            pageSize = request["maxResults"]?.GetValue<int>() ?? 100;
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
        var responseBody = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (thenFail)
        {
            return await WriteErrorAsync(context, 500, "InternalFailure", "injected failure after forwarding", isJson);
        }
        if (ecsPaging && operation == "ListTasks" && response.IsSuccessStatusCode)
        {
            var page = JsonNode.Parse(responseBody)!.AsObject();
            var arns = page["taskArns"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
            var slice = arns.Skip(offset).Take(pageSize).ToList();
            var result = new JsonObject { ["taskArns"] = new JsonArray([.. slice.Select(a => (JsonNode)a)]) };
            if (offset + pageSize < arns.Count)
            {
                result["nextToken"] = "page-" + (offset + pageSize).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            responseBody = Encoding.UTF8.GetBytes(result.ToJsonString());
        }
        if (isJson && operation == "DescribeTasks" && response.IsSuccessStatusCode)
        {
            responseBody = WithTaskGroups(responseBody);
        }
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name is "Transfer-Encoding" or "Content-Length" or "Connection" or "Server" or "Date")
            {
                continue;
            }
            context.Response.Headers[name] = values.ToArray();
        }
        // A 304 (conditional GET) or 204 has no body; Kestrel refuses to write one.
        if (response.StatusCode is not (HttpStatusCode.NotModified or HttpStatusCode.NoContent))
        {
            await context.Response.Body.WriteAsync(responseBody, context.RequestAborted);
        }
        return (int)response.StatusCode;
    }

    private byte[] WithTaskGroups(byte[] body)
    {
        lock (_gate)
        {
            if (_taskGroups.Count == 0)
            {
                return body;
            }
            var page = JsonNode.Parse(body)!.AsObject();
            foreach (var task in page["tasks"]?.AsArray() ?? [])
            {
                if (task is JsonObject t && _taskGroups.TryGetValue(t["taskArn"]!.GetValue<string>(), out var group))
                {
                    t["group"] = group;
                }
            }
            return Encoding.UTF8.GetBytes(page.ToJsonString());
        }
    }

    private async Task<bool> IfMatchFailsAsync(HttpContext context)
    {
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        if (context.Request.Method is not ("PUT" or "DELETE") || ifMatch.Length == 0)
        {
            return false;
        }
        // moto routes by the credential scope in Authorization and does not check signatures, so the PUT's header serves.
        using var head = new HttpRequestMessage(HttpMethod.Head, new Uri(_target, context.Request.Path));
        head.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers.Authorization.ToString());
        head.Headers.TryAddWithoutValidation("x-amz-date", context.Request.Headers["x-amz-date"].ToString());
        head.Headers.TryAddWithoutValidation("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        using var response = await _upstream.SendAsync(head, context.RequestAborted);
        return !response.IsSuccessStatusCode || response.Headers.ETag?.ToString() != ifMatch;
    }

    private static async Task<int> WriteErrorAsync(HttpContext context, int status, string code, string message, bool json)
    {
        context.Response.StatusCode = status;
        if (json)
        {
            context.Response.ContentType = "application/x-amz-json-1.1";
            await context.Response.WriteAsync(new JsonObject { ["__type"] = code, ["message"] = message }.ToJsonString());
        }
        else
        {
            context.Response.ContentType = "text/xml";
            await context.Response.WriteAsync($"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>");
        }
        return status;
    }

    private static async Task<int> WriteS3ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>fault-proxy</RequestId></Error>");
        return status;
    }

    private static string? OperationFromQuery(HttpRequest request, byte[] body)
    {
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            var action = Encoding.UTF8.GetString(body).Split('&').FirstOrDefault(p => p.StartsWith("Action=", StringComparison.Ordinal));
            return action?["Action=".Length..];
        }
        return request.Method + " " + request.Path;
    }
}
