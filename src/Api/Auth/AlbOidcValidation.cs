using System.Text.Json;

namespace Mirage.Api.Auth;

/// <summary>A checked <c>x-amzn-oidc-data</c> token's claims, or why it was refused (for the log).</summary>
public sealed record AlbOidcValidation(JsonElement? Claims, string? Error)
{
    public static AlbOidcValidation Refused(string error) => new(null, error);
}
