namespace Mirage.Aws.Tests.Signing;

/// <summary>One case of AWS's aws-sig-v4-test-suite (see sigv4-test-suite.json).</summary>
public sealed record SigV4TestVector(
    string Name,
    string Method,
    string Path,
    IReadOnlyList<IReadOnlyList<string>> Query,
    IReadOnlyList<IReadOnlyList<string>> Headers,
    string Body,
    string? SessionToken,
    string CanonicalRequest,
    string StringToSign,
    string Authorization)
{
    public override string ToString() => Name;
}
