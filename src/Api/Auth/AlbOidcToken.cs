using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Mirage.Api.Auth;

/// <summary>
/// The parts of an <c>x-amzn-oidc-data</c> JWT. The ALB pads its base64url segments with <c>=</c>, so padding is
/// accepted; the signature covers the first two segments exactly as sent.
/// </summary>
public sealed class AlbOidcToken : IDisposable
{
    // A real token is well under 4 KB; Kestrel's header limits bound it anyway.
    private const int MaxSegmentBytes = 16 * 1024;

    private AlbOidcToken(JsonDocument header, JsonDocument payload, byte[] signature, byte[] signingInput)
    {
        Header = header;
        Payload = payload;
        Signature = signature;
        SigningInput = signingInput;
    }

    public JsonDocument Header { get; }

    public JsonDocument Payload { get; }

    public byte[] Signature { get; }

    public byte[] SigningInput { get; }

    /// <summary>Parses the header value; on failure returns why.</summary>
    public static (AlbOidcToken? Token, string? Error) Parse(string value)
    {
        var parts = value.Trim().Split('.');
        if (parts.Length != 3)
        {
            return (null, "not a JWT (three dot-separated parts expected)");
        }
        var signature = Decode(parts[2]);
        if (signature is null)
        {
            return (null, "signature is not base64url");
        }
        var header = DecodeJson(parts[0]);
        if (header is null)
        {
            return (null, "JWT header is not base64url JSON");
        }
        var payload = DecodeJson(parts[1]);
        if (payload is null)
        {
            header.Dispose();
            return (null, "JWT payload is not base64url JSON");
        }
        if (header.RootElement.ValueKind != JsonValueKind.Object || payload.RootElement.ValueKind != JsonValueKind.Object)
        {
            header.Dispose();
            payload.Dispose();
            return (null, "JWT header and payload must be JSON objects");
        }
        var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        return (new AlbOidcToken(header, payload, signature, signingInput), null);
    }

    /// <summary>A string member of the JWT header, or null.</summary>
    public string? HeaderString(string name) =>
        Header.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[]? Decode(string segment)
    {
        var trimmed = segment.AsSpan().TrimEnd('=');
        if (trimmed.Length == 0 || !Base64Url.IsValid(trimmed, out var length) || length > MaxSegmentBytes)
        {
            return null;
        }
        var bytes = new byte[length];
        return Base64Url.DecodeFromChars(trimmed, bytes) == length ? bytes : null;
    }

    private static JsonDocument? DecodeJson(string segment)
    {
        var bytes = Decode(segment);
        if (bytes is null)
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

    public void Dispose()
    {
        Header.Dispose();
        Payload.Dispose();
    }
}
