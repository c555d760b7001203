using System.Security.Cryptography;
using System.Text;

namespace Mirage.LocalEcs.Credentials;

/// <summary>
/// Credentials-route tokens: only their SHA-256 is kept, and a presented token is compared with each candidate's hash
/// in constant time, without stopping at the first match, so timing tells nothing about which token or how much matched.
/// </summary>
public static class AuthorizationToken
{
    /// <summary>Lower-case hex SHA-256 of the token's UTF-8 bytes.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>True when <paramref name="presented"/> hashes to <paramref name="expectedHash"/>.</summary>
    public static bool Matches(string presented, string expectedHash) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), Convert.FromHexString(expectedHash));

    /// <summary>The candidate whose token hash <paramref name="presented"/> matches, or null.</summary>
    public static T? FindOwner<T>(string presented, IEnumerable<T> candidates, Func<T, string> hashOf)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(hashOf);
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        T? owner = null;
        foreach (var candidate in candidates)
        {
            if (CryptographicOperations.FixedTimeEquals(presentedHash, Convert.FromHexString(hashOf(candidate))))
            {
                owner ??= candidate;
            }
        }
        return owner;
    }
}
