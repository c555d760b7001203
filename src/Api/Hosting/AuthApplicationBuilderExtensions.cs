using Mirage.Api.Auth;

namespace Mirage.Api.Hosting;

public static class AuthApplicationBuilderExtensions
{
    /// <summary>
    /// Adds the web UI and API request rules (<see cref="MirageAuthMiddleware"/>). Call it after
    /// <c>UseMirageEdge()</c> and <c>UseRouting()</c>, before the endpoints; needs <c>AddMirageAuth()</c>.
    /// </summary>
    public static IApplicationBuilder UseMirageAuth(this IApplicationBuilder app) =>
        app.UseMiddleware<MirageAuthMiddleware>();
}
