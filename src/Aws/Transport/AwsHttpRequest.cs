namespace Mirage.Aws.Transport;

/// <summary>One AWS API request before signing; rebuilt for every attempt because a sent message cannot be sent again.</summary>
/// <param name="PathAndQuery">Relative to the endpoint, starting with '/'; query values already escaped.</param>
/// <param name="SignedHeaders">Protocol headers (x-amz-target…), sent and signed.</param>
public sealed record AwsHttpRequest(
    HttpMethod Method,
    string PathAndQuery,
    byte[] Body,
    string? ContentType,
    IReadOnlyList<KeyValuePair<string, string>> SignedHeaders);
