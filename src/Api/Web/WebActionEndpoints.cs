using Mirage.Api.Environments;
using Mirage.Api.MirageEcsApi;
using Mirage.Api.Web.Pages;
using Mirage.Model.Configuration;

namespace Mirage.Api.Web;

/// <summary>
/// The browser's <c>POST /launch</c> and <c>POST /terminate</c>: a form or JSON, answered with a 303 to the list,
/// with "ok" for scripts, or, when refused, with the form again and the reason in plain English.
/// </summary>
public static class WebActionEndpoints
{
    public static IEndpointRouteBuilder MapWebActions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/launch", LaunchAsync);
        endpoints.MapPost("/terminate", TerminateAsync);
        endpoints.MapPost("/keep", KeepAsync);
        endpoints.MapPost("/sleep", (HttpContext context, EnvironmentService environments, WebResponses pages, ListPageBuilder list, MirageConfig config, CancellationToken cancellationToken) =>
            SleepOrWakeAsync(context, pages, list, config, (subdomain, token) => environments.SleepAsync(subdomain, "from the web UI", token), cancellationToken));
        endpoints.MapPost("/wake", (HttpContext context, EnvironmentService environments, WebResponses pages, ListPageBuilder list, MirageConfig config, CancellationToken cancellationToken) =>
            SleepOrWakeAsync(context, pages, list, config, (subdomain, token) => environments.WakeAsync(subdomain, "from the web UI", token), cancellationToken));
        return endpoints;
    }

    private static async Task<IResult> LaunchAsync(
        HttpContext context, EnvironmentService environments, WebResponses pages, LauncherPageBuilder launcher, MirageConfig config,
        CancellationToken cancellationToken)
    {
        var (body, status, error) = await RequestBody.ReadAsync(context.Request, allowForm: true, cancellationToken);
        if (body is null)
        {
            return Refused(context, pages, status, error!, config, () => launcher.Build(error: WebError.Explain(error!, config.Parameters)));
        }
        var (command, typeError) = LaunchCommandReader.Read(body);
        if (command is null)
        {
            return Refused(context, pages, StatusCodes.Status400BadRequest, typeError!, config, () => launcher.Build(error: WebError.Explain(typeError!, config.Parameters)));
        }
        var (_, refused) = await environments.LaunchAsync(command, cancellationToken);
        if (refused is null)
        {
            return WebResponses.Done(context);
        }
        // The form comes back as it was sent, with the reason above it.
        var values = new Dictionary<string, string>(command.Parameters, StringComparer.Ordinal) { ["branch"] = command.Branch };
        return Refused(context, pages, refused.StatusCode, refused.Message, config,
            () => launcher.Build(command.Subdomain, values, command.TaskDefinitions, WebError.Explain(refused.Message, config.Parameters)));
    }

    private static async Task<IResult> TerminateAsync(
        HttpContext context, EnvironmentService environments, TaskRows rows, WebResponses pages, ListPageBuilder list, MirageConfig config,
        CancellationToken cancellationToken)
    {
        var (body, status, error) = await RequestBody.ReadAsync(context.Request, allowForm: true, cancellationToken);
        var subdomain = body?.Get("subdomain") ?? "";
        var id = body?.Get("id") ?? "";
        if (body is not null && id.Length > 0)
        {
            // A task belongs to an environment; terminating by task id terminates its environment, as /api/terminate.
            var owner = await rows.FindTaskAsync(id, cancellationToken);
            (status, error, subdomain) = owner is null
                ? (StatusCodes.Status404NotFound, $"task {id} is not found", "")
                : (status, error, owner.Subdomain);
        }
        else if (body is not null && subdomain.Length == 0)
        {
            (status, error) = (StatusCodes.Status400BadRequest, "parameter required: id or subdomain");
        }
        if (error is null)
        {
            var (_, refused) = await environments.TerminateAsync(subdomain, cancellationToken);
            if (refused is null)
            {
                return WebResponses.Done(context);
            }
            (status, error) = (refused.StatusCode, refused.Message);
        }
        var explained = WebError.Explain(error, config.Parameters);
        return WebResponses.RefusedForScript(context.Request, status, explained, error)
            ?? pages.Page("index", "Environments", "list", new IndexModel(await list.BuildAsync(cancellationToken), explained), status);
    }

    // Pin or unpin (the keep policy); the page's script posts it and reloads the environment page.
    private static Task<IResult> KeepAsync(
        HttpContext context, EnvironmentService environments, WebResponses pages, ListPageBuilder list, MirageConfig config,
        CancellationToken cancellationToken) =>
        ChangeAsync(context, pages, list, config,
            body => body.Get("keep") is "true" or "false" ? null : "keep must be true or false",
            (body, token) => environments.SetKeepAsync(body.Get("subdomain"), body.Get("keep") == "true", token), cancellationToken);

    // The Sleep and Wake buttons: {subdomain}; the page's script posts it and reloads the environment page.
    private static Task<IResult> SleepOrWakeAsync(
        HttpContext context, WebResponses pages, ListPageBuilder list, MirageConfig config,
        Func<string, CancellationToken, Task<(Model.Intents.EnvironmentIntent? Intent, EnvironmentError? Error)>> change, CancellationToken cancellationToken) =>
        ChangeAsync(context, pages, list, config,
            body => body.Get("subdomain").Length == 0 ? "parameter required: subdomain" : null,
            (body, token) => change(body.Get("subdomain"), token), cancellationToken);

    // A change to one environment from a page: 303 (or "ok" for a script) when done; refused, the list with the reason.
    private static async Task<IResult> ChangeAsync(
        HttpContext context, WebResponses pages, ListPageBuilder list, MirageConfig config, Func<RequestBody, string?> check,
        Func<RequestBody, CancellationToken, Task<(Model.Intents.EnvironmentIntent? Intent, EnvironmentError? Error)>> change, CancellationToken cancellationToken)
    {
        var (body, status, error) = await RequestBody.ReadAsync(context.Request, allowForm: true, cancellationToken);
        if (body is not null && check(body) is { } problem)
        {
            (status, error) = (StatusCodes.Status400BadRequest, problem);
        }
        if (body is not null && error is null)
        {
            var (_, refused) = await change(body, cancellationToken);
            if (refused is null)
            {
                return WebResponses.Done(context);
            }
            (status, error) = (refused.StatusCode, refused.Message);
        }
        var explained = WebError.Explain(error!, config.Parameters);
        return WebResponses.RefusedForScript(context.Request, status, explained, error!)
            ?? pages.Page("index", "Environments", "list", new IndexModel(await list.BuildAsync(cancellationToken), explained), status);
    }

    private static IResult Refused(HttpContext context, WebResponses pages, int status, string message, MirageConfig config, Func<Pages.LauncherModel> form) =>
        WebResponses.RefusedForScript(context.Request, status, WebError.Explain(message, config.Parameters), message)
            ?? pages.Page("launcher", "Launch an environment", "launcher", form(), status);
}
