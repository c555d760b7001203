using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Mirage.TestKit.Oidc;

/// <summary>
/// Makes <c>x-amzn-oidc-data</c> tokens as an ALB does: ES256 over base64url segments that keep their <c>=</c>
/// padding, with <c>signer</c>, <c>kid</c>, <c>iss</c>, <c>client</c> and <c>exp</c> in the JWT header.
/// </summary>
public sealed class AlbTokenFactory : IDisposable
{
    public const string Signer = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/mirage/50dc6c495c0c9188";

    public AlbTokenFactory(string kid)
    {
        Kid = kid;
        Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    }

    public string Kid { get; }

    public ECDsa Key { get; }

    public string PublicKeyPem => Key.ExportSubjectPublicKeyInfoPem();

    /// <param name="claims">The payload; <c>exp</c> is added (now + 2 minutes) unless given.</param>
    /// <param name="header">Overrides and additions for the JWT header (null values remove a member).</param>
    public string Create(
        TimeProvider time,
        IDictionary<string, object?>? claims = null,
        IDictionary<string, object?>? header = null,
        bool padded = true,
        ECDsa? signWith = null)
    {
        var exp = time.GetUtcNow().AddMinutes(2).ToUnixTimeSeconds();
        var headerValues = new Dictionary<string, object?>
        {
            ["typ"] = "JWT",
            ["kid"] = Kid,
            ["alg"] = "ES256",
            ["iss"] = "https://idp.example.com",
            ["client"] = "mirage-client",
            ["signer"] = Signer,
            ["exp"] = exp,
        };
        foreach (var (name, value) in header ?? new Dictionary<string, object?>())
        {
            headerValues[name] = value;
        }
        var payload = new Dictionary<string, object?>
        {
            ["sub"] = "4f2ab0c1",
            ["email"] = "user@example.com",
            ["exp"] = exp,
            ["iss"] = "https://idp.example.com",
        };
        foreach (var (name, value) in claims ?? new Dictionary<string, object?>())
        {
            payload[name] = value;
        }
        var signingInput = Segment(Serialize(headerValues), padded) + "." + Segment(Serialize(payload), padded);
        var signature = (signWith ?? Key).SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Segment(signature, padded);
    }

    private static byte[] Serialize(Dictionary<string, object?> values) =>
        JsonSerializer.SerializeToUtf8Bytes(values.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value));

    private static string Segment(byte[] bytes, bool padded)
    {
        var text = Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
        return padded ? text : text.TrimEnd('=');
    }

    public void Dispose() => Key.Dispose();
}
