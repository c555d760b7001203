using Microsoft.Extensions.DependencyInjection.Extensions;
using Mirage.Api.Auth;
using Mirage.Edge.Auth;

namespace Mirage.Api.Hosting;

public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// Registers the authentication of the web UI and API; its rules come from <c>MirageConfig.Auth</c> (the config
    /// must be registered). <paramref name="configure"/> adjusts how ALB OIDC keys are fetched and kept.
    /// </summary>
    public static IServiceCollection AddMirageAuth(this IServiceCollection services, Action<AmznOidcOptions>? configure = null)
    {
        var options = new AmznOidcOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AuthCookie>();
        services.AddSingleton<AlbPublicKeyCache>();
        services.AddSingleton<AlbOidcValidator>();
        services.AddSingleton<RequestAuthenticator>();
        return services;
    }
}
