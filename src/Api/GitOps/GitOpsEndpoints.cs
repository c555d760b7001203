using Mirage.Reconciler.GitOps;

namespace Mirage.Api.GitOps;

/// <summary><c>GET /api/gitops</c>: the desired-environments file, the version applied, and why a newer one is refused.</summary>
public static class GitOpsEndpoints
{
    public static RouteGroupBuilder MapGitOpsEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/gitops", (GitOpsState state) => Results.Json(state.Current, GitOpsJsonContext.Default.GitOpsStatus))
            .WithTags("gitops")
            .WithSummary("The desired-environments file: the version applied, its environments and conflicts, and why a newer version is refused")
            .Produces<GitOpsStatus>();
        return api;
    }
}
