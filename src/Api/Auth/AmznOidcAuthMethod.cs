using Mirage.Model.Configuration;

namespace Mirage.Api.Auth;

/// <summary>
/// <c>auth.amzn_oidc</c>: a valid ALB token whose claim passes a matcher. Skipped when no claim is configured.
/// </summary>
public sealed class AmznOidcAuthMethod(AmznOidcAuthConfig? config, AlbOidcValidator validator)
{
    // The loader has checked the ARN; one that does not parse (a config built in code) pins nothing and admits nobody.
    private readonly AlbArn? _alb = config?.AlbArn is { } arn && AlbArn.TryParse(arn, out var parsed, out _) ? parsed : null;

    public bool IsConfigured => !string.IsNullOrEmpty(config?.Claim);

    public async Task<AuthCheck> CheckAsync(IHeaderDictionary headers, CancellationToken cancellationToken)
    {
        if (config is null || string.IsNullOrEmpty(config.Claim))
        {
            return AuthCheck.Failed("not configured (auth.amzn_oidc.claim is empty)");
        }
        var validation = await validator.ValidateAsync(headers[AlbOidcValidator.HeaderName].FirstOrDefault(), _alb, cancellationToken);
        if (validation.Claims is not { } claims)
        {
            return AuthCheck.Failed(validation.Error!);
        }
        return OidcClaimMatch.Matches(config, claims)
            ? AuthCheck.Success
            : AuthCheck.Failed($"claim {config.Claim} is missing, not a string, or matches no matcher");
    }
}
