using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Net.Http.Headers;
using Mirage.Edge.Auth;
using Mirage.Model.Configuration;

namespace Mirage.Edge.Forwarding;

/// <summary>
/// Takes Mirage's own credentials out of a request before it goes to a preview: the <c>mirage-ecs-auth</c> cookie
/// (the application's own cookies stay, in their order), the <c>auth.token</c> header when it carries Mirage's token,
/// and <c>Authorization</c> when it carries Mirage's <c>auth.basic</c> credentials. Anything meant for the application
/// passes untouched. A preview runs code from any branch, so it must never see what unlocks Mirage.
/// </summary>
public sealed class MirageSecretFilter
{
    private readonly string? _tokenHeader;
    private readonly byte[]? _tokenHash;
    private readonly byte[]? _basicHash;

    public MirageSecretFilter(MirageConfig config)
    {
        if (config.Auth?.Token is { Header.Length: > 0, Token.Length: > 0 } token)
        {
            _tokenHeader = token.Header;
            _tokenHash = Hash(token.Token);
        }
        if (config.Auth?.Basic is { Username.Length: > 0, Password.Length: > 0 } basic)
        {
            _basicHash = Hash("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(basic.Username + ":" + basic.Password)));
        }
    }

    public void Apply(HttpRequestHeaders headers)
    {
        StripAuthCookie(headers);
        if (_tokenHeader is not null)
        {
            StripIfSecret(headers, _tokenHeader, _tokenHash!);
        }
        if (_basicHash is not null)
        {
            StripIfSecret(headers, HeaderNames.Authorization, _basicHash);
        }
    }

    /// <summary>The Cookie header without <c>mirage-ecs-auth</c>; null when nothing else is left.</summary>
    public static string? WithoutAuthCookie(IEnumerable<string> cookieHeaders)
    {
        var kept = new List<string>();
        foreach (var header in cookieHeaders)
        {
            foreach (var pair in header.Split(';'))
            {
                var trimmed = pair.Trim();
                if (trimmed.Length == 0)
                {
                    continue;
                }
                var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
                var name = (equals < 0 ? trimmed : trimmed[..equals]).Trim();
                if (!name.Equals(AuthCookie.Name, StringComparison.Ordinal))
                {
                    kept.Add(trimmed);
                }
            }
        }
        return kept.Count == 0 ? null : string.Join("; ", kept);
    }

    private static void StripAuthCookie(HttpRequestHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues(HeaderNames.Cookie, out var values))
        {
            return;
        }
        var all = values.ToList();
        if (!all.Any(v => v.Contains(AuthCookie.Name, StringComparison.Ordinal)))
        {
            return;
        }
        var rewritten = WithoutAuthCookie(all);
        headers.Remove(HeaderNames.Cookie);
        if (rewritten is not null)
        {
            headers.TryAddWithoutValidation(HeaderNames.Cookie, rewritten);
        }
    }

    private static void StripIfSecret(HttpRequestHeaders headers, string name, byte[] secretHash)
    {
        if (!headers.NonValidated.TryGetValues(name, out var values))
        {
            return;
        }
        var all = values.ToList();
        var kept = all.Where(v => !CryptographicOperations.FixedTimeEquals(Hash(v), secretHash)).ToList();
        if (kept.Count == all.Count)
        {
            return;
        }
        headers.Remove(name);
        foreach (var value in kept)
        {
            headers.TryAddWithoutValidation(name, value);
        }
    }

    // Comparing hashes keeps the comparison's time independent of where the values differ.
    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
