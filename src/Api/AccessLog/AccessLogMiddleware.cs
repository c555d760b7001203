namespace Mirage.Api.AccessLog;

/// <summary>
/// Writes one <see cref="AccessLogLine"/> per web UI and API request to stdout, as mirage-ecs does. It sits behind the
/// Edge middleware, so proxied requests never reach it and cost nothing.
/// </summary>
public sealed class AccessLogMiddleware(RequestDelegate next, TimeProvider time, AccessLogOutput output)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        var at = time.GetUtcNow();
        var response = context.Response;
        var body = response.Body;
        var counting = new CountingStream(body);
        response.Body = counting;
        var error = "";
        try
        {
            await next(context);
        }
        catch (Exception e) when (Record(e, out error))
        {
            throw;
        }
        finally
        {
            response.Body = body;
            var request = context.Request;
            await output.WriteLineAsync(AccessLogLine.Format(new AccessLogEntry(
                at,
                RequestId(request, response),
                context.Connection.RemoteIpAddress?.ToString() ?? "",
                request.Host.Value ?? "",
                request.Method,
                request.PathBase + request.Path + request.QueryString,
                request.Headers.UserAgent.ToString(),
                error.Length > 0 && !response.HasStarted ? StatusCodes.Status500InternalServerError : response.StatusCode,
                error,
                time.GetElapsedTime(started),
                request.Headers.ContentLength ?? 0,
                counting.Written)));
        }
    }

    // echo's ${id}: the request's X-Request-ID, else the one the response carries.
    private static string RequestId(HttpRequest request, HttpResponse response) =>
        request.Headers[RequestIdHeader] is { Count: > 0 } id ? id.ToString() : response.Headers[RequestIdHeader].ToString();

    private const string RequestIdHeader = "X-Request-ID";

    // Records the failure for the line without catching it: the exception handler outside still answers.
    private static bool Record(Exception e, out string error)
    {
        error = e.Message;
        return false;
    }
}
