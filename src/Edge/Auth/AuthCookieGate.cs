using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Mirage.Edge.Logging;

namespace Mirage.Edge.Auth;

/// <summary>
/// The <c>require_auth_cookie</c> check on proxied requests (mirage-ecs §3.5). OPTIONS passes so CORS preflights work.
/// Without a cookie secret every other request is refused, and that is logged once per listen port.
/// </summary>
public sealed class AuthCookieGate(AuthCookie cookie, ILogger<AuthCookieGate> logger)
{
    private readonly HashSet<int> _warnedPorts = [];
    private readonly Lock _warnGate = new();

    public bool Allows(HttpContext context, string subdomain)
    {
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            return true;
        }
        var verdict = cookie.Verify(context.Request.Cookies[AuthCookie.Name]);
        if (verdict == AuthCookieVerdict.Valid)
        {
            return true;
        }
        if (verdict == AuthCookieVerdict.NoSecret)
        {
            WarnOnce(context.Connection.LocalPort);
        }
        else
        {
            EdgeLog.CookieRefused(logger, subdomain, verdict);
        }
        return false;
    }

    private void WarnOnce(int port)
    {
        lock (_warnGate)
        {
            if (!_warnedPorts.Add(port))
            {
                return;
            }
        }
        EdgeLog.CookieSecretMissing(logger, port);
    }
}
