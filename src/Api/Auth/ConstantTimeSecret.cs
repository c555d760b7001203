using System.Security.Cryptography;
using System.Text;

namespace Mirage.Api.Auth;

/// <summary>
/// A configured secret that presented values are compared with in constant time. Both sides are reduced to an
/// HMAC-SHA256 under a key drawn at start, so the comparison takes the same time whatever the lengths and contents,
/// and the secret itself is never kept in a form a timing difference could reveal.
/// </summary>
public sealed class ConstantTimeSecret
{
    private const int MacLength = 32;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(MacLength);
    private readonly byte[] _expected;

    public ConstantTimeSecret(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _expected = Mac(secret);
    }

    /// <summary>True when <paramref name="candidate"/> equals the secret, ordinal over its UTF-8 bytes.</summary>
    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Mac(candidate), _expected);

    private byte[] Mac(string value) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(value));

    public override string ToString() => "***";
}
