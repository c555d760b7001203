using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Mirage.Model.Configuration;

namespace Mirage.Edge.Auth;

/// <summary>
/// The <c>mirage-ecs-auth</c> cookie (mirage-ecs §3.5): a JWT signed HS256 with <c>auth.cookie_secret</c> whose only
/// claim is <c>{"expire_at": unix seconds}</c>. Written by hand rather than with a JWT library so that exactly one
/// algorithm is ever accepted and the signature check is constant-time. The API issues it; the Edge verifies it.
/// </summary>
public sealed class AuthCookie
{
    public const string Name = "mirage-ecs-auth";

    /// <summary>How long an issued cookie is valid, as mirage-ecs.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    // {"alg":"HS256","typ":"JWT"}: the header golang-jwt writes, so cookies stay interchangeable with mirage-ecs.
    private const string EncodedHeader = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
    private const int SignatureLength = 32;

    private readonly byte[]? _secret;
    private readonly TimeProvider _time;

    public AuthCookie(MirageConfig config, TimeProvider time)
    {
        var secret = config.Auth?.CookieSecret;
        _secret = string.IsNullOrEmpty(secret) ? null : Encoding.UTF8.GetBytes(secret);
        _time = time;
    }

    /// <summary>False when <c>auth.cookie_secret</c> is not set: nothing can be issued and every cookie is refused.</summary>
    public bool IsConfigured => _secret is not null;

    /// <summary>Signs a cookie valid for <see cref="Lifetime"/> from now.</summary>
    /// <exception cref="InvalidOperationException"><c>auth.cookie_secret</c> is not set.</exception>
    public IssuedAuthCookie Issue()
    {
        var secret = _secret ?? throw new InvalidOperationException("auth.cookie_secret is not set; set it to issue mirage-ecs-auth cookies");
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds());
        var payload = string.Create(CultureInfo.InvariantCulture, $"{{\"expire_at\":{expiresAt.ToUnixTimeSeconds()}}}");
        var signingInput = EncodedHeader + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var signature = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput));
        return new IssuedAuthCookie(signingInput + "." + Base64Url.EncodeToString(signature), expiresAt);
    }

    /// <summary>
    /// The cookie attributes mirage-ecs sets, with <c>Path=/</c> added: <c>Domain</c> is the proxy suffix without its
    /// leading dot so every environment host receives it.
    /// </summary>
    public static CookieOptions CreateCookieOptions(IssuedAuthCookie cookie, string reverseProxySuffix) => new()
    {
        Domain = reverseProxySuffix.TrimStart('.'),
        Path = "/",
        Expires = cookie.ExpiresAt,
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Lax,
    };

    /// <summary>Checks a cookie value: HS256 only, a valid signature, and <c>now &lt; expire_at</c>.</summary>
    public AuthCookieVerdict Verify(string? value)
    {
        if (_secret is null)
        {
            return AuthCookieVerdict.NoSecret;
        }
        if (string.IsNullOrEmpty(value))
        {
            return AuthCookieVerdict.Missing;
        }

        var firstDot = value.IndexOf('.', StringComparison.Ordinal);
        var lastDot = value.LastIndexOf('.');
        if (firstDot <= 0 || lastDot == firstDot || lastDot == value.Length - 1
            || value.AsSpan(firstDot + 1, lastDot - firstDot - 1).Contains('.'))
        {
            return AuthCookieVerdict.Malformed;
        }

        var header = TryDecodeJson(value.AsSpan(0, firstDot));
        if (header is null)
        {
            return AuthCookieVerdict.Malformed;
        }
        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object
                || !header.RootElement.TryGetProperty("alg", out var alg)
                || alg.ValueKind != JsonValueKind.String
                || !alg.ValueEquals("HS256"))
            {
                return AuthCookieVerdict.WrongAlgorithm;
            }
        }

        Span<byte> signature = stackalloc byte[SignatureLength];
        if (!Base64Url.IsValid(value.AsSpan(lastDot + 1), out var decodedLength) || decodedLength != SignatureLength
            || Base64Url.DecodeFromChars(value.AsSpan(lastDot + 1), signature) != SignatureLength)
        {
            return AuthCookieVerdict.BadSignature;
        }
        Span<byte> expected = stackalloc byte[SignatureLength];
        HMACSHA256.HashData(_secret, Encoding.ASCII.GetBytes(value, 0, lastDot), expected);
        if (!CryptographicOperations.FixedTimeEquals(signature, expected))
        {
            return AuthCookieVerdict.BadSignature;
        }

        // Only a signed payload is parsed.
        var payload = TryDecodeJson(value.AsSpan(firstDot + 1, lastDot - firstDot - 1));
        if (payload is null)
        {
            return AuthCookieVerdict.Malformed;
        }
        using (payload)
        {
            if (payload.RootElement.ValueKind != JsonValueKind.Object
                || !payload.RootElement.TryGetProperty("expire_at", out var expireAt)
                || expireAt.ValueKind != JsonValueKind.Number)
            {
                return AuthCookieVerdict.Malformed;
            }
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
            return now < expireAt.GetDouble() ? AuthCookieVerdict.Valid : AuthCookieVerdict.Expired;
        }
    }

    private static JsonDocument? TryDecodeJson(ReadOnlySpan<char> segment)
    {
        if (!Base64Url.IsValid(segment, out var length) || length == 0 || length > 4096)
        {
            return null;
        }
        var bytes = new byte[length];
        if (Base64Url.DecodeFromChars(segment, bytes) != length)
        {
            return null;
        }
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
