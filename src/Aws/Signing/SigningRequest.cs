namespace Mirage.Aws.Signing;

/// <summary>What SigV4 signs, independent of HttpClient (so AWS's published vectors can be fed in directly).</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">The path as it appears in the request line (already percent-encoded on the wire); it is
/// normalised and encoded once more, as AWS does for every service but S3.</param>
/// <param name="Query">Decoded query parameters, in any order.</param>
/// <param name="Headers">Headers to sign (must include <c>host</c>); repeated names are joined in order.</param>
/// <param name="PayloadHash">Lower-case hex SHA-256 of the body.</param>
public sealed record SigningRequest(
    string Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string PayloadHash);
