using Mirage.Api.Hosting;
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
        api.MapPost("/environments/{subdomain}/keep", KeepAsync)
            .WithTags("environments")
            .WithSummary("Pin (keep: true) or unpin an environment: a kept one is never purged or expired")
            .DocumentsJsonBody<KeepRequest>()
            .Produces<ApiResult>()
            .Produces<ApiResult>(StatusCodes.Status400BadRequest)
            .Produces<ApiResult>(StatusCodes.Status404NotFound)
            .Produces<ApiResult>(StatusCodes.Status409Conflict);
        api.MapPost("/environments/{subdomain}/sleep", SleepAsync)
            .WithTags("environments")
            .WithSummary("Put an environment to sleep: its tasks stop, its route stays, and the first request to it wakes it")
            .Produces<ApiResult>()
            .Produces<ApiResult>(StatusCodes.Status400BadRequest)
            .Produces<ApiResult>(StatusCodes.Status404NotFound)
            .Produces<ApiResult>(StatusCodes.Status409Conflict);
        api.MapPost("/environments/{subdomain}/wake", WakeAsync)
            .WithTags("environments")
            .WithSummary("Wake a sleeping environment: its tasks run again and its route serves them once they all run")
            .Produces<ApiResult>()
            .Produces<ApiResult>(StatusCodes.Status400BadRequest)
            .Produces<ApiResult>(StatusCodes.Status404NotFound)
            .Produces<ApiResult>(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> SleepAsync(string subdomain, EnvironmentService environments, CancellationToken cancellationToken)
    {
        var (_, refused) = await environments.SleepAsync(subdomain, "through the API", cancellationToken);
        return refused is null ? MirageEcsApiEndpoints.Result(StatusCodes.Status200OK, "ok") : MirageEcsApiEndpoints.Result(refused.StatusCode, refused.Message);
    }

    private static async Task<IResult> WakeAsync(string subdomain, EnvironmentService environments, CancellationToken cancellationToken)
    {
        var (_, refused) = await environments.WakeAsync(subdomain, "through the API", cancellationToken);
        return refused is null ? MirageEcsApiEndpoints.Result(StatusCodes.Status200OK, "ok") : MirageEcsApiEndpoints.Result(refused.StatusCode, refused.Message);
    }

    // {"keep": true} pins the environment (never purged or expired); {"keep": false} removes the pin.
    private static async Task<IResult> KeepAsync(
        string subdomain, HttpContext context, EnvironmentService environments, ApiBehaviour behaviour, CancellationToken cancellationToken)
    {
        var (body, status, error) = await RequestBody.ReadAsync(context.Request, behaviour.CompatV1, cancellationToken);
        if (body is null)
        {
            return MirageEcsApiEndpoints.Result(status, error!);
        }
        if (body.CheckTypes(("keep", System.Text.Json.JsonValueKind.True, "true or false")) is { } typeError)
        {
            return MirageEcsApiEndpoints.Result(StatusCodes.Status400BadRequest, typeError);
        }
        var keepText = body.Get("keep");
        if (keepText is not ("true" or "false"))
        {
            return MirageEcsApiEndpoints.Result(StatusCodes.Status400BadRequest, "parameter required: keep (true or false)");
        }
        var (_, refused) = await environments.SetKeepAsync(subdomain, keepText == "true", cancellationToken);
        return refused is null ? MirageEcsApiEndpoints.Result(StatusCodes.Status200OK, "ok") : MirageEcsApiEndpoints.Result(refused.StatusCode, refused.Message);
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
