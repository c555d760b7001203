using Mirage.Model.Configuration;

namespace Mirage.Api.Auth;

/// <summary>
/// <c>auth.amzn_oidc</c>: a valid ALB token whose claim passes a matcher. Skipped when no claim is configured.
/// </summary>
public sealed class AmznOidcAuthMethod(AmznOidcAuthConfig? config, AlbOidcValidator validator)
{
    public bool IsConfigured => !string.IsNullOrEmpty(config?.Claim);

    public async Task<AuthCheck> CheckAsync(IHeaderDictionary headers, CancellationToken cancellationToken)
    {
        if (config is null || string.IsNullOrEmpty(config.Claim))
        {
            return AuthCheck.Failed("not configured (auth.amzn_oidc.claim is empty)");
        }
        var validation = await validator.ValidateAsync(headers[AlbOidcValidator.HeaderName].FirstOrDefault(), config.AlbArn, cancellationToken);
        if (validation.Claims is not { } claims)
        {
            return AuthCheck.Failed(validation.Error!);
        }
        return OidcClaimMatch.Matches(config, claims)
            ? AuthCheck.Success
            : AuthCheck.Failed($"claim {config.Claim} is missing, not a string, or matches no matcher");
    }
}
