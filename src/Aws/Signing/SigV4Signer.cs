using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mirage.Aws.Credentials;

namespace Mirage.Aws.Signing;

/// <summary>
/// AWS Signature Version 4 (AWS4-HMAC-SHA256), header-based. Our own because AWSSDK.Core's signer is internal API;
/// the emulators do not check signatures, so correctness rests on AWS's published test vectors.
/// </summary>
public sealed class SigV4Signer(TimeProvider timeProvider)
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Signs <paramref name="request"/> in place (adds x-amz-date, x-amz-security-token, x-amz-content-sha256 when asked, Authorization).</summary>
    /// <param name="body">The exact bytes that will be sent.</param>
    /// <param name="extraSignedHeaders">Request headers to sign besides host and the x-amz-* ones (e.g. content-type, x-amz-target).</param>
    public SigningResult Sign(
        HttpRequestMessage request,
        ReadOnlySpan<byte> body,
        AwsCredentials credentials,
        string region,
        string service,
        IEnumerable<string>? extraSignedHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(request.RequestUri);
        var uri = request.RequestUri;
        var headers = new List<KeyValuePair<string, string>> { new("host", uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}") };
        foreach (var name in extraSignedHeaders ?? [])
        {
            if (request.Headers.TryGetValues(name, out var values) || (request.Content?.Headers.TryGetValues(name, out values) ?? false))
            {
                headers.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v)));
            }
        }
        var payloadHash = HexSha256(body);
        var signing = new SigningRequest(request.Method.Method, uri.AbsolutePath, ParseQuery(uri.Query), headers, payloadHash);
        var result = Compute(signing, credentials, region, service, timeProvider.GetUtcNow());
        foreach (var (name, value) in result.HeadersToAdd)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
        request.Headers.TryAddWithoutValidation("Authorization", result.Authorization);
        return result;
    }

    /// <summary>The pure signing function: canonical request, string to sign, signature.</summary>
    public static SigningResult Compute(SigningRequest request, AwsCredentials credentials, string region, string service, DateTimeOffset at)
    {
        var amzDate = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var added = new List<KeyValuePair<string, string>> { new("x-amz-date", amzDate) };
        if (credentials.SessionToken is { Length: > 0 } token)
        {
            added.Add(new("x-amz-security-token", token));
        }

        var canonicalHeaders = request.Headers
            .Where(h => !added.Any(a => string.Equals(a.Key, h.Key, StringComparison.OrdinalIgnoreCase)))
            .Concat(added)
            .GroupBy(h => h.Key.Trim().ToLowerInvariant(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(',', g.Select(h => TrimAll(h.Value)))))
            .ToList();
        var signedHeaders = string.Join(';', canonicalHeaders.Select(h => h.Name));

        var canonicalRequest = new StringBuilder()
            .Append(request.Method.ToUpperInvariant()).Append('\n')
            .Append(CanonicalUri(request.Path)).Append('\n')
            .Append(CanonicalQuery(request.Query)).Append('\n');
        foreach (var (name, value) in canonicalHeaders)
        {
            canonicalRequest.Append(name).Append(':').Append(value).Append('\n');
        }
        canonicalRequest.Append('\n').Append(signedHeaders).Append('\n').Append(request.PayloadHash);
        var canonical = canonicalRequest.ToString();

        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{HexSha256(Encoding.UTF8.GetBytes(canonical))}";

        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        key = HMACSHA256.HashData(key, "aws4_request"u8);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

        var authorization = $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new SigningResult(canonical, stringToSign, signature, signedHeaders, authorization, added);
    }

    public static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>RFC 3986 dot segments and empty segments removed, each segment URI-encoded.</summary>
    public static string CanonicalUri(string path)
    {
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (segments.Count > 0)
                    {
                        segments.RemoveAt(segments.Count - 1);
                    }
                    continue;
                default:
                    segments.Add(UriEncode(segment));
                    break;
            }
        }
        var trailingSlash = segments.Count > 0 && (path.EndsWith('/') || path.EndsWith("/.", StringComparison.Ordinal) || path.EndsWith("/..", StringComparison.Ordinal));
        return "/" + string.Join('/', segments) + (trailingSlash ? "/" : "");
    }

    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> query) =>
        string.Join('&', query
            .Select(p => (Key: UriEncode(p.Key), Value: UriEncode(p.Value)))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));

    /// <summary>Percent-encodes every byte of the UTF-8 form except the unreserved characters, with upper-case hex.</summary>
    public static string UriEncode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    /// <summary>Splits a wire query string (<c>?a=1&amp;b</c>) into decoded pairs.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseQuery(string query)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? "" : part[(equals + 1)..];
            pairs.Add(new(Uri.UnescapeDataString(key), Uri.UnescapeDataString(value)));
        }
        return pairs;
    }

    // Header values: outer whitespace trimmed, inner runs of spaces collapsed to one.
    private static string TrimAll(string value)
    {
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c is ' ' or '\t')
            {
                space = true;
                continue;
            }
            if (space && builder.Length > 0)
            {
                builder.Append(' ');
            }
            space = false;
            builder.Append(c);
        }
        return builder.ToString();
    }
}
