using Mirage.Api.MirageEcsApi;
using Mirage.Model.Intents;
using Mirage.Model.Subdomains;

namespace Mirage.Api.Environments;

/// <summary>Mirage's own read API: environments as intents with their status, tasks and recent events.</summary>
public static class EnvironmentEndpoints
{
    public static RouteGroupBuilder MapEnvironmentEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/environments", ListAsync)
            .WithTags("environments")
            .WithSummary("Every environment: intent, status (conditions, events) and tasks")
            .Produces<EnvironmentList>();
        api.MapGet("/environments/{subdomain}", GetAsync)
            .WithTags("environments")
            .WithSummary("One environment: intent, status (conditions, events), tasks and URL")
            .Produces<EnvironmentDetails>()
            .Produces<ApiResult>(StatusCodes.Status400BadRequest)
            .Produces<ApiResult>(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> ListAsync(IIntentStore store, TaskRows rows, CancellationToken cancellationToken)
    {
        var tasks = await rows.ListAsync(cancellationToken);
        var details = new List<EnvironmentDetails>();
        foreach (var intent in await store.ListAsync(cancellationToken))
        {
            details.Add(await DetailsAsync(intent, store, rows, tasks, cancellationToken));
        }
        return Results.Json(new EnvironmentList(details), EnvironmentJsonContext.Default.EnvironmentList);
    }

    private static async Task<IResult> GetAsync(string subdomain, IIntentStore store, TaskRows rows, CancellationToken cancellationToken)
    {
        var normalized = SubdomainRules.Normalize(subdomain);
        if (SubdomainRules.Validate(normalized) is { } invalid)
        {
            return MirageEcsApiEndpoints.Result(StatusCodes.Status400BadRequest, invalid);
        }
        var intent = await store.GetAsync(normalized, cancellationToken);
        if (intent is null)
        {
            return MirageEcsApiEndpoints.Result(StatusCodes.Status404NotFound, $"subdomain {normalized} is not found");
        }
        var details = await DetailsAsync(intent, store, rows, await rows.ListAsync(cancellationToken), cancellationToken);
        return Results.Json(details, EnvironmentJsonContext.Default.EnvironmentDetails);
    }

    private static async Task<EnvironmentDetails> DetailsAsync(
        EnvironmentIntent intent, IIntentStore store, TaskRows rows, IReadOnlyList<TaskInformation> tasks, CancellationToken cancellationToken) =>
        new(intent.Subdomain, rows.UrlOf(intent.Subdomain), intent, await store.GetStatusAsync(intent.Subdomain, cancellationToken),
            [.. tasks.Where(t => t.Subdomain == intent.Subdomain && t.Id.Length > 0)]);
}
