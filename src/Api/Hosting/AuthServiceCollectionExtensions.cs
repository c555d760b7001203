using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mirage.Api.Auth;
using Mirage.Edge.Auth;

namespace Mirage.Api.Hosting;

public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// Test-only setting (environment variable or host configuration): where ALB keys are fetched from instead of the
    /// regional endpoint. Refused at start unless https, or http to a loopback address.
    /// </summary>
    public const string TestKeyEndpointSetting = "MIRAGE_TEST_ALB_KEY_ENDPOINT";

    /// <summary>
    /// Registers the authentication of the web UI and API; its rules come from <c>MirageConfig.Auth</c> (the config
    /// must be registered). <paramref name="configure"/> adjusts how ALB OIDC keys are fetched and kept; the options
    /// are validated at start.
    /// </summary>
    public static IServiceCollection AddMirageAuth(this IServiceCollection services, Action<AmznOidcOptions>? configure = null)
    {
        services.AddOptions<AmznOidcOptions>()
            .Configure(o => configure?.Invoke(o))
            .Validate(o => o.PublicKeyEndpoint is null || AmznOidcOptions.IsAllowedEndpoint(o.PublicKeyEndpoint),
                $"{TestKeyEndpointSetting} must be an https URL, or an http URL of a loopback address (127.0.0.1, [::1], localhost)")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AmznOidcOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AuthCookie>();
        services.AddSingleton<AlbPublicKeyCache>();
        services.AddSingleton<AlbOidcValidator>();
        services.AddSingleton<RequestAuthenticator>();
        return services;
    }
}
