namespace Mirage.Aws.Signing;

/// <summary>The intermediate strings are kept so a failing vector says which step differs.</summary>
/// <param name="HeadersToAdd">Headers the signer added and the request must carry (x-amz-date, x-amz-security-token).</param>
public sealed record SigningResult(
    string CanonicalRequest,
    string StringToSign,
    string Signature,
    string SignedHeaders,
    string Authorization,
    IReadOnlyList<KeyValuePair<string, string>> HeadersToAdd);
