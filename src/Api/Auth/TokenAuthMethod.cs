using Mirage.Model.Configuration;

namespace Mirage.Api.Auth;

/// <summary>
/// <c>auth.token</c>: the configured header (name case-insensitive) must carry the token exactly. An empty header name,
/// token or header value never matches (mirage-ecs §2.5); the comparison is constant-time.
/// </summary>
public sealed class TokenAuthMethod
{
    private readonly string _header;
    private readonly ConstantTimeSecret? _token;

    public TokenAuthMethod(TokenAuthConfig? config)
    {
        _header = config?.Header ?? "";
        _token = string.IsNullOrEmpty(config?.Token) || _header.Length == 0 ? null : new ConstantTimeSecret(config.Token);
    }

    /// <summary>False when token authentication is not configured: the method is skipped.</summary>
    public bool IsConfigured => _token is not null;

    public AuthCheck Check(IHeaderDictionary headers)
    {
        if (_token is null)
        {
            return AuthCheck.Failed("not configured");
        }
        // As Go's Header.Get: the first value of the header.
        var sent = headers[_header].FirstOrDefault();
        if (string.IsNullOrEmpty(sent))
        {
            return AuthCheck.Failed($"header {_header} is missing");
        }
        return _token.Matches(sent) ? AuthCheck.Success : AuthCheck.Failed($"header {_header} does not match");
    }
}
