using System.Text;
using Microsoft.Net.Http.Headers;
using Mirage.Model.Configuration;

namespace Mirage.Api.Auth;

/// <summary>
/// <c>auth.basic</c>: the <c>Authorization</c> header must equal <c>"Basic " + base64(username:password)</c> exactly,
/// as mirage-ecs compares it; an empty username or password never matches. The comparison is constant-time.
/// </summary>
public sealed class BasicAuthMethod
{
    /// <summary>The challenge sent with a 401 when basic authentication is configured.</summary>
    public const string Challenge = "Basic realm=\"Restricted\"";

    private readonly ConstantTimeSecret? _expected;

    public BasicAuthMethod(BasicAuthConfig? config)
    {
        IsPresent = config is not null;
        if (!string.IsNullOrEmpty(config?.Username) && !string.IsNullOrEmpty(config.Password))
        {
            _expected = new ConstantTimeSecret("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(config.Username + ":" + config.Password)));
        }
    }

    /// <summary>
    /// True when <c>auth.basic</c> is present in the config, even with an empty field: the 401 then carries the
    /// challenge, as mirage-ecs.
    /// </summary>
    public bool IsPresent { get; }

    public AuthCheck Check(IHeaderDictionary headers)
    {
        if (_expected is null)
        {
            return AuthCheck.Failed("not configured (username and password must both be set)");
        }
        var sent = headers[HeaderNames.Authorization].FirstOrDefault();
        if (string.IsNullOrEmpty(sent))
        {
            return AuthCheck.Failed("Authorization header is missing");
        }
        return _expected.Matches(sent) ? AuthCheck.Success : AuthCheck.Failed("Authorization header does not match");
    }
}
