using System.Net;

namespace Mirage.Aws.Transport;

/// <summary>A successful response, fully read (AWS API responses are small; Logs pages are capped at 1 MB).</summary>
public sealed record AwsHttpResponse(HttpStatusCode StatusCode, IReadOnlyDictionary<string, string> Headers, byte[] Body);
