using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mirage.Edge.Dispatch;

/// <summary>Short text answers shaped like Go's <c>http.Error</c>, which mirage-ecs uses for them.</summary>
internal static class PlainText
{
    public const string ContentType = "text/plain; charset=utf-8";

    public static Task WriteAsync(HttpContext context, int statusCode, string body)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = ContentType;
        response.Headers.XContentTypeOptions = "nosniff";
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }
}
