using System.Text.Json;
using Mirage.Api.Cluster;
using Mirage.Api.Environments;
using Mirage.Api.GitOps;
using Mirage.Api.Hosting;

namespace Mirage.Api.MirageEcsApi;

/// <summary>
/// <c>/api/*</c> as mirage-ecs v2 serves it: same paths, bodies, JSON shapes, status codes and messages.
/// Launch and terminate only record intents; the reconciler does the rest.
/// </summary>
public static class MirageEcsApiEndpoints
{
    public static RouteGroupBuilder MapMirageEcsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapGet("/list", ListAsync)
            .WithTags("mirage-ecs")
            .WithSummary("Tasks of wanted environments (one row per task, as mirage-ecs), and wanted environments with no task yet")
            .Produces<ListResponse>();
        api.MapPost("/launch", LaunchAsync)
            .WithTags("mirage-ecs")
            .WithSummary("Record an environment to run (a relaunch replaces its tasks); with wait, answer once it is ready")
            .DocumentsJsonBody<LaunchRequest>()
            .Produces<ApiResult>()
            .Produces<ApiResult>(StatusCodes.Status400BadRequest)
            .Produces<ApiResult>(StatusCodes.Status409Conflict)
            .Produces<ApiResult>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ApiResult>(StatusCodes.Status504GatewayTimeout);
        api.MapPost("/terminate", TerminateAsync)
            .WithTags("mirage-ecs")
            .WithSummary("Record an environment to terminate, by subdomain or by the id of one of its tasks")
            .DocumentsJsonBody<TerminateRequest>()
            .Produces<ApiResult>()
            .Produces<ApiResult>(StatusCodes.Status400BadRequest)
            .Produces<ApiResult>(StatusCodes.Status404NotFound)
            .Produces<ApiResult>(StatusCodes.Status409Conflict);
        api.MapLogsAccessPurge();
        api.MapEnvironmentEndpoints();
        api.MapGitOpsEndpoints();
        api.MapClusterEndpoints();
        return api;
    }

    private static async Task<IResult> ListAsync(TaskRows rows, CancellationToken cancellationToken) =>
        Results.Json(new ListResponse(await rows.ListAsync(cancellationToken)), ApiJsonContext.Default.ListResponse);

    private static readonly TimeSpan DefaultWaitTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxWaitTimeout = TimeSpan.FromMinutes(30);

    private static async Task<IResult> LaunchAsync(
        HttpContext context, EnvironmentService environments, EnvironmentWaiter waiter, ApiBehaviour behaviour, CancellationToken cancellationToken)
    {
        var (body, status, error) = await RequestBody.ReadAsync(context.Request, behaviour.CompatV1, cancellationToken);
        if (body is null)
        {
            return Result(status, error!);
        }
        var (command, typeError) = LaunchCommandReader.Read(body);
        if (command is null)
        {
            return Result(StatusCodes.Status400BadRequest, typeError!);
        }
        var (wait, timeout, waitError) = ReadWait(body);
        if (waitError is not null)
        {
            return Result(StatusCodes.Status400BadRequest, waitError);
        }
        var (intent, refused) = await environments.LaunchAsync(command, cancellationToken);
        if (refused is not null)
        {
            return Result(refused.StatusCode, refused.Message);
        }
        if (!wait)
        {
            return Result(StatusCodes.Status200OK, "ok");
        }
        var outcome = await waiter.WaitAsync(intent!, timeout, cancellationToken);
        return outcome.Result switch
        {
            WaitResult.Ready => Result(StatusCodes.Status200OK, "ok"),
            WaitResult.TimedOut => Result(StatusCodes.Status504GatewayTimeout, outcome.Message),
            WaitResult.Superseded => Result(StatusCodes.Status409Conflict, outcome.Message),
            _ => Result(StatusCodes.Status500InternalServerError, outcome.Message),
        };
    }

    // "wait": true (or ?wait=true) holds the answer until the environment is Ready; "wait_timeout" in seconds.
    private static (bool Wait, TimeSpan Timeout, string? Error) ReadWait(RequestBody body)
    {
        var waitText = body.Get("wait");
        var wait = waitText is "true" or "1";
        if (waitText.Length > 0 && !wait && waitText is not ("false" or "0"))
        {
            return (false, default, $"wait must be true or false, not {waitText}");
        }
        var timeoutText = body.Get("wait_timeout");
        if (timeoutText.Length == 0)
        {
            return (wait, DefaultWaitTimeout, null);
        }
        if (!int.TryParse(timeoutText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) ||
            seconds < 1 || seconds > MaxWaitTimeout.TotalSeconds)
        {
            return (false, default, $"wait_timeout must be a number of seconds from 1 to {MaxWaitTimeout.TotalSeconds:0}, not {timeoutText}");
        }
        return (wait, TimeSpan.FromSeconds(seconds), null);
    }

    private static async Task<IResult> TerminateAsync(HttpContext context, EnvironmentService environments, TaskRows rows, ApiBehaviour behaviour, CancellationToken cancellationToken)
    {
        var (body, status, error) = await RequestBody.ReadAsync(context.Request, behaviour.CompatV1, cancellationToken);
        if (body is null)
        {
            return Result(status, error!);
        }
        if (body.CheckTypes(("id", JsonValueKind.String, "a string"), ("subdomain", JsonValueKind.String, "a string")) is { } typeError)
        {
            return Result(StatusCodes.Status400BadRequest, typeError);
        }
        var subdomain = body.Get("subdomain");
        var id = body.Get("id");
        if (id.Length > 0)
        {
            // A task belongs to an environment; stopping it alone would only make the reconciler start it again.
            var owner = await rows.FindTaskAsync(id, cancellationToken);
            if (owner is null)
            {
                return Result(StatusCodes.Status404NotFound, $"task {id} is not found");
            }
            subdomain = owner.Subdomain;
        }
        if (subdomain.Length == 0)
        {
            return Result(StatusCodes.Status400BadRequest, "parameter required: id or subdomain");
        }
        var (_, refused) = await environments.TerminateAsync(subdomain, cancellationToken);
        return refused is null ? Result(StatusCodes.Status200OK, "ok") : Result(refused.StatusCode, refused.Message);
    }

    internal static IResult Result(int status, string result) =>
        Results.Json(new ApiResult(result), ApiJsonContext.Default.ApiResult, statusCode: status);
}
