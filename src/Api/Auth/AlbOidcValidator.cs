using System.Security.Cryptography;
using System.Text.Json;
using Mirage.Model.Configuration;

namespace Mirage.Api.Auth;

/// <summary>
/// Checks an ALB <c>x-amzn-oidc-data</c> token (mirage-ecs §3.7): header <c>alg</c> ES256, string <c>kid</c> and
/// <c>signer</c>, the signature against the ALB's published key. Mirage also requires the ALB to be pinned and
/// <c>signer</c> to be exactly it, takes the key's region from the pinned ARN (never from the token), and checks
/// <c>exp</c> (with <see cref="AmznOidcOptions.ClockSkew"/>).
/// </summary>
public sealed class AlbOidcValidator(AlbPublicKeyCache keys, AmznOidcOptions options, TimeProvider time)
{
    public const string HeaderName = "x-amzn-oidc-data";

    public async Task<AlbOidcValidation> ValidateAsync(string? value, AlbArn? pinnedAlb, CancellationToken cancellationToken)
    {
        if (pinnedAlb is null)
        {
            return AlbOidcValidation.Refused("auth.amzn_oidc.alb_arn is not set, so no ALB is trusted");
        }
        if (string.IsNullOrWhiteSpace(value))
        {
            return AlbOidcValidation.Refused($"header {HeaderName} is missing");
        }
        var (token, parseError) = AlbOidcToken.Parse(value);
        if (token is null)
        {
            return AlbOidcValidation.Refused(parseError!);
        }
        using (token)
        {
            var alg = token.HeaderString("alg");
            if (alg != "ES256")
            {
                return AlbOidcValidation.Refused(alg is null ? "JWT header has no alg" : "JWT alg is not ES256");
            }
            var kid = token.HeaderString("kid");
            if (string.IsNullOrEmpty(kid))
            {
                return AlbOidcValidation.Refused("JWT header has no kid");
            }
            var signer = token.HeaderString("signer");
            if (string.IsNullOrEmpty(signer))
            {
                return AlbOidcValidation.Refused("JWT header has no signer");
            }
            // Pinning is checked before any key is fetched: a token from another ALB costs nothing.
            if (!string.Equals(signer, pinnedAlb.Value, StringComparison.Ordinal))
            {
                return AlbOidcValidation.Refused("JWT signer is not the ALB in auth.amzn_oidc.alb_arn");
            }
            var (url, locationError) = AlbPublicKeyLocation.Resolve(pinnedAlb, kid, options.PublicKeyEndpoint);
            if (url is null)
            {
                return AlbOidcValidation.Refused(locationError!);
            }
            var (key, keyError) = await keys.GetAsync(url, cancellationToken);
            if (key is not { } parameters)
            {
                return AlbOidcValidation.Refused(keyError ?? "no public key");
            }
            if (!Verify(parameters, token))
            {
                return AlbOidcValidation.Refused("JWT signature does not verify");
            }
            if (ExpiryError(token) is { } expiryError)
            {
                return AlbOidcValidation.Refused(expiryError);
            }
            return new AlbOidcValidation(token.Payload.RootElement.Clone(), null);
        }
    }

    private static bool Verify(ECParameters parameters, AlbOidcToken token)
    {
        // ES256 signatures are r||s, 32 bytes each (IEEE P1363), not DER.
        if (token.Signature.Length != 64)
        {
            return false;
        }
        using var ecdsa = ECDsa.Create(parameters);
        return ecdsa.VerifyData(token.SigningInput, token.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    // The ALB puts exp in the claims and in the JWT header; either will do, the claims first.
    private string? ExpiryError(AlbOidcToken token)
    {
        JsonElement exp;
        if (!token.Payload.RootElement.TryGetProperty("exp", out exp) && !token.Header.RootElement.TryGetProperty("exp", out exp))
        {
            return "JWT has no exp";
        }
        if (exp.ValueKind != JsonValueKind.Number || !exp.TryGetDouble(out var seconds))
        {
            return "JWT exp is not a number";
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        return now >= seconds + options.ClockSkew.TotalSeconds ? "JWT has expired" : null;
    }
}
