using Mirage.Model.Configuration;

namespace Mirage.Api.Auth;

/// <summary>
/// The methods of <c>auth</c>, in mirage-ecs's order token → amzn_oidc → basic (§2.4, §2.5). A method that fails —
/// a bad or missing OIDC header, a failed key fetch — only refuses; the next method is still tried (mirage-ecs
/// answers 500 instead). Cookies are never a method.
/// </summary>
public sealed class RequestAuthenticator(MirageConfig config, AlbOidcValidator validator)
{
    private readonly TokenAuthMethod _token = new(config.Auth?.Token);
    private readonly AmznOidcAuthMethod _oidc = new(config.Auth?.AmznOidc, validator);
    private readonly BasicAuthMethod _basic = new(config.Auth?.Basic);

    /// <summary>No <c>auth</c> section: every request is allowed.</summary>
    public bool IsOpen => config.Auth is null;

    /// <summary>A refused web request carries the basic challenge when <c>auth.basic</c> is in the config.</summary>
    public bool ChallengesBasic => _basic.IsPresent;

    /// <summary>The web UI: token, then ALB OIDC, then basic.</summary>
    public async Task<AuthDecision> AuthenticateWebAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (IsOpen)
        {
            return AuthDecision.Open;
        }
        List<string> refusals = [];
        if (Record(refusals, "token", _token.Check(request.Headers)))
        {
            return AuthDecision.By("token");
        }
        if (Record(refusals, "amzn_oidc", await _oidc.CheckAsync(request.Headers, cancellationToken)))
        {
            return AuthDecision.By("amzn_oidc");
        }
        if (Record(refusals, "basic", _basic.Check(request.Headers)))
        {
            return AuthDecision.By("basic");
        }
        return AuthDecision.Refused(refusals);
    }

    /// <summary>The API: the token only.</summary>
    public AuthDecision AuthenticateApi(HttpRequest request)
    {
        if (IsOpen)
        {
            return AuthDecision.Open;
        }
        List<string> refusals = [];
        return Record(refusals, "token", _token.Check(request.Headers)) ? AuthDecision.By("token") : AuthDecision.Refused(refusals);
    }

    private static bool Record(List<string> refusals, string method, AuthCheck check)
    {
        if (!check.Matched)
        {
            refusals.Add($"{method}: {check.Reason}");
        }
        return check.Matched;
    }
}
