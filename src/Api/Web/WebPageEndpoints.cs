using Mirage.Reconciler.GitOps;
using System.Globalization;
using System.Text;
using Mirage.Api.Web.Pages;
using Mirage.Api.Web.MirageEcsTemplates;
using Mirage.Api.Web.Templates;
using Mirage.Model.Backend;
using Mirage.Model.Subdomains;
using Mirage.Reconciler.Reconciling;

namespace Mirage.Api.Web;

/// <summary>The browser's pages: the list, the launcher, an environment, a task's trace, and the UI's assets.</summary>
public static class WebPageEndpoints
{
    private const int DefaultLogTail = 200;

    public static IEndpointRouteBuilder MapWebPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", IndexAsync);
        endpoints.MapGet("/list", ListAsync);
        endpoints.MapGet("/launcher", (WebResponses pages, LauncherPageBuilder launcher, MirageEcsTemplateSet goTemplates, MirageEcsPageData goData) =>
            goTemplates.Serves("launcher.html")
                ? GoPage(goTemplates, "launcher.html", goData.Launcher())
                : pages.Page("launcher", "Launch an environment", "launcher", launcher.Build()));
        endpoints.MapGet("/environments/{subdomain}", EnvironmentAsync);
        endpoints.MapGet("/environments/{subdomain}/logs", LogsAsync);
        endpoints.MapGet("/trace/", () => Results.Text("taskid required\n", statusCode: StatusCodes.Status400BadRequest));
        endpoints.MapGet("/trace/{taskid}", TraceAsync);
        endpoints.MapGet("/assets/{name}", Asset);
        return endpoints;
    }

    private static async Task<IResult> IndexAsync(
        WebResponses pages, ListPageBuilder list, GitOpsState gitOps, MirageEcsTemplateSet goTemplates, CancellationToken cancellationToken) =>
        goTemplates.Serves("layout.html")
            ? GoPage(goTemplates, "layout.html", MirageEcsPageData.Layout())
            : pages.Page("index", "Environments", "list", new IndexModel(await list.BuildAsync(cancellationToken), null, gitOps.Current.Error));

    private static async Task<IResult> ListAsync(
        WebResponses pages, ListPageBuilder list, MirageEcsTemplateSet goTemplates, MirageEcsPageData goData, CancellationToken cancellationToken)
    {
        if (!goTemplates.Serves("list.html"))
        {
            return pages.Fragment("list", await list.BuildAsync(cancellationToken));
        }
        Dictionary<string, object?> data;
        try
        {
            data = await goData.ListAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // mirage-ecs answers a failed listing with its message as text.
            return Results.Text(e.Message, "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status500InternalServerError);
        }
        return GoPage(goTemplates, "list.html", data);
    }

    private static IResult GoPage(MirageEcsTemplateSet goTemplates, string name, object data) =>
        Results.Content(goTemplates.Render(name, data), "text/html; charset=UTF-8", Encoding.UTF8);

    private static async Task<IResult> EnvironmentAsync(
        string subdomain, WebResponses pages, EnvironmentPageBuilder builder, CancellationToken cancellationToken)
    {
        var normalized = SubdomainRules.Normalize(subdomain);
        if (SubdomainRules.Validate(normalized) is { } invalid)
        {
            return pages.ErrorPage(StatusCodes.Status400BadRequest, "Not a subdomain", $"“{subdomain}” is not a valid subdomain.", invalid);
        }
        var model = await builder.BuildAsync(normalized, cancellationToken);
        return model is null
            ? pages.ErrorPage(StatusCodes.Status404NotFound, "No such environment",
                $"There is no environment “{normalized}”. It may have been terminated and cleaned up, or never launched.")
            : pages.Page("environment", normalized, "environment", model);
    }

    /// <summary>
    /// Log lines for the follow view, strictly after <c>since</c>: the environment's running tasks, or its most recently
    /// stopped one when none runs (why did it stop?). A web route, so it is under the browser's sign-in, not the API's.
    /// </summary>
    private static async Task<IResult> LogsAsync(
        string subdomain, HttpRequest request, ObservedTasks observedTasks, IEcsBackend backend, TimeProvider time, CancellationToken cancellationToken)
    {
        var normalized = SubdomainRules.Normalize(subdomain);
        DateTimeOffset? since = null;
        var sinceText = request.Query["since"].ToString();
        if (sinceText.Length > 0)
        {
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return Refused(StatusCodes.Status400BadRequest, $"cannot parse since: {sinceText}", $"“{sinceText}” is not a time such as 2026-01-02T15:04:05Z.");
            }
            since = parsed;
        }
        var tail = DefaultLogTail;
        var tailText = request.Query["tail"].ToString();
        if (tailText.Length > 0 && (!int.TryParse(tailText, NumberStyles.None, CultureInfo.InvariantCulture, out tail) || tail < 1))
        {
            return Refused(StatusCodes.Status400BadRequest, $"cannot parse tail: {tailText}", $"tail must be a positive number of lines, not “{tailText}”.");
        }
        var observation = await observedTasks.GetAsync(cancellationToken);
        IReadOnlyList<ObservedTask> tasks = observation.RunningFor(normalized);
        if (tasks.Count == 0)
        {
            tasks = [.. observation.StoppedFor(normalized).OrderByDescending(t => t.StoppedAt ?? t.LaunchedAt).Take(1)];
        }
        IReadOnlyList<LogLine>[] perTask;
        try
        {
            perTask = await Task.WhenAll(tasks.Select(t => backend.ReadLogsAsync(t, since, cancellationToken)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Refused(StatusCodes.Status502BadGateway, e.Message, $"Mirage could not read the logs: {e.Message}");
        }
        var lines = perTask.SelectMany(l => l).Where(l => since is null || l.Timestamp > since).OrderBy(l => l.Timestamp).ToList();
        if (lines.Count > tail)
        {
            lines = lines[^tail..];
        }
        var next = lines.Count > 0 ? TimeText.Iso(lines[^1].Timestamp) : sinceText.Length > 0 ? sinceText : TimeText.Iso(time.GetUtcNow() - TimeSpan.FromDays(3650));
        return Results.Json(
            new LogsFollowResponse([.. lines.Select(l => new LogsFollowLine(TimeText.Iso(l.Timestamp), l.Container, l.Message))], next),
            WebJsonContext.Default.LogsFollowResponse);
    }

    private static async Task<IResult> TraceAsync(string taskid, HttpRequest request, WebResponses pages, TracePageBuilder builder, CancellationToken cancellationToken)
    {
        // mirage-ecs answered text; curl and scripts still get it, browsers get the page (and ?format=text).
        var wantsText = request.Query["format"] == "text" ||
            !request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));
        (TaskTrace Trace, TraceModel Model)? built;
        try
        {
            built = await builder.BuildAsync(taskid, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return wantsText
                ? Results.Text(e.Message + "\n", statusCode: StatusCodes.Status500InternalServerError)
                : pages.ErrorPage(StatusCodes.Status500InternalServerError, "Trace failed", $"Mirage could not trace task {taskid}: {e.Message}");
        }
        if (built is not { } found)
        {
            const string why = "Mirage knows running tasks and recently stopped ones (ECS forgets a stopped task after about an hour).";
            return wantsText
                ? Results.Text($"task {taskid} is not found\n", statusCode: StatusCodes.Status404NotFound)
                : pages.ErrorPage(StatusCodes.Status404NotFound, "No such task", $"There is no task “{taskid}”. {why}");
        }
        return wantsText
            ? Results.Text(found.Trace.ToText(), "text/plain; charset=utf-8", Encoding.UTF8)
            : pages.Page("trace", "Trace of " + found.Model.TaskId, "trace", found.Model);
    }

    private static IResult Asset(string name, HttpContext context, WebAssets assets)
    {
        if (assets.Find(name) is not { } asset)
        {
            return Results.Text($"no asset {name}\n", statusCode: StatusCodes.Status404NotFound);
        }
        context.Response.Headers.ETag = asset.ETag;
        // Revalidated every time: a changed htmldir after a restart shows at once, and a 304 costs little.
        context.Response.Headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static IResult Refused(int status, string original, string message) =>
        Results.Json(new WebErrorResponse(original, message), WebJsonContext.Default.WebErrorResponse, statusCode: status);
}
