using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace Mirage.Aws.Errors;

/// <summary>Turns an AWS error response (JSON or XML, or anything else an emulator sends) into an <see cref="AwsServiceException"/>.</summary>
public static class AwsErrorParser
{
    private const int MaxMessageLength = 500;

    public static AwsServiceException Parse(string service, HttpStatusCode status, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body)
    {
        var requestId = headers.GetValueOrDefault("x-amzn-RequestId") ?? headers.GetValueOrDefault("x-amz-request-id");
        string? code = headers.GetValueOrDefault("x-amzn-ErrorType") is { Length: > 0 } typeHeader ? CleanCode(typeHeader) : null;
        string? message = null;

        var text = Encoding.UTF8.GetString(body).Trim();
        if (text.StartsWith('{'))
        {
            (code, message) = ParseJson(text, code);
        }
        else if (text.StartsWith('<') && !text.StartsWith("<!", StringComparison.Ordinal) && !text.StartsWith("<html", StringComparison.OrdinalIgnoreCase))
        {
            string? xmlRequestId;
            (code, message, xmlRequestId) = ParseXml(text, code);
            requestId ??= xmlRequestId;
        }
        code ??= status switch
        {
            HttpStatusCode.TooManyRequests => "TooManyRequestsException",
            >= HttpStatusCode.InternalServerError => "InternalFailure",
            _ => $"Http{(int)status}",
        };
        message ??= text.Length == 0 ? $"HTTP {(int)status} with an empty body" : Shorten(text);
        return new AwsServiceException(service, code, message, status, requestId);
    }

    private static (string? Code, string? Message) ParseJson(string text, string? code)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (code, null);
            }
            if (code is null && (Property(root, "__type") ?? Property(root, "code") ?? Property(root, "Code")) is { } rawCode)
            {
                code = CleanCode(rawCode);
            }
            var message = Property(root, "message") ?? Property(root, "Message") ?? Property(root, "errorMessage");
            return (code, message is null ? null : Shorten(message));
        }
        catch (JsonException)
        {
            return (code, null);
        }
    }

    private static (string? Code, string? Message, string? RequestId) ParseXml(string text, string? code)
    {
        try
        {
            var document = XDocument.Parse(text);
            var elements = document.Descendants().ToList();
            string? Find(string name) => elements.FirstOrDefault(e => e.Name.LocalName == name && !e.HasElements)?.Value;
            var root = document.Root?.Name.LocalName;
            code ??= Find("Code") is { } found ? CleanCode(found) : root is "InvalidChangeBatch" ? root : null;
            var messages = elements.Where(e => e.Name.LocalName == "Message" && !e.HasElements).Select(e => e.Value).ToList();
            var message = messages.Count == 0 ? null : Shorten(string.Join("; ", messages));
            return (code, message, Find("RequestId") ?? Find("RequestID"));
        }
        catch (XmlException)
        {
            return (code, null, null);
        }
    }

    private static string? Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // "com.amazonaws.ecs#ThrottlingException" and "ThrottlingException:http://internal.amazon.com/" both mean ThrottlingException.
    private static string CleanCode(string raw)
    {
        var code = raw;
        var hash = code.LastIndexOf('#');
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        return (colon >= 0 ? code[..colon] : code).Trim();
    }

    private static string Shorten(string text) => text.Length <= MaxMessageLength ? text : text[..MaxMessageLength] + "…";
}
