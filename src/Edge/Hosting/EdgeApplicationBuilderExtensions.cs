using Microsoft.AspNetCore.Builder;
using Mirage.Edge.Dispatch;

namespace Mirage.Edge.Hosting;

public static class EdgeApplicationBuilderExtensions
{
    /// <summary>
    /// Adds host dispatch. Call it first, then <c>UseRouting()</c> explicitly and map the API/UI endpoints: requests
    /// for <c>host.webapi</c> continue down the pipeline, every other request is answered here without routing.
    /// </summary>
    public static IApplicationBuilder UseMirageEdge(this IApplicationBuilder app) =>
        app.UseMiddleware<HostDispatchMiddleware>();
}
