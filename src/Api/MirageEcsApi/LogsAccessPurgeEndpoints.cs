using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mirage.Model.Parameters;
using Mirage.Model.Backend;
using Mirage.Model.Metrics;
using Mirage.Model.Subdomains;
using Mirage.Reconciler.Purge;
using Mirage.Reconciler.Reconciling;
using Mirage.Api.Hosting;

namespace Mirage.Api.MirageEcsApi;

/// <summary><c>/api/logs</c>, <c>/api/access</c> and <c>/api/purge</c>, as mirage-ecs serves them.</summary>
public static class LogsAccessPurgeEndpoints
{
    private static readonly TimeSpan DefaultAccessWindow = TimeSpan.FromSeconds(86400);

    public static RouteGroupBuilder MapLogsAccessPurge(this RouteGroupBuilder api)
    {
        api.MapGet("/logs", LogsAsync)
            .WithTags("mirage-ecs")
            .WithSummary("Log lines of an environment's tasks, merged by time; tail applies to the merged lines")
            .Produces<LogsResponse>().Produces<ApiResult>(StatusCodes.Status400BadRequest).Produces<ApiResult>(StatusCodes.Status404NotFound);
        api.MapGet("/access", AccessAsync)
            .WithTags("mirage-ecs")
            .WithSummary("Proxied requests to an environment in the last duration seconds (default 86400)")
            .Produces<AccessResponse>().Produces<ApiResult>(StatusCodes.Status400BadRequest);
        api.MapPost("/purge", PurgeAsync)
            .WithTags("mirage-ecs")
            .WithSummary("Terminate environments with no request for duration seconds; runs in the background, dry_run reports instead")
            .DocumentsJsonBody<PurgeRequestBody>()
            .Produces<ApiResult>().Produces<PurgeDryRunResponse>(StatusCodes.Status200OK, "application/json")
            .Produces<ApiResult>(StatusCodes.Status400BadRequest);
        return api;
    }

    private static async Task<IResult> LogsAsync(
        HttpRequest request, ObservedTasks observedTasks, IEcsBackend backend, TimeProvider time, CancellationToken cancellationToken)
    {
        var subdomain = SubdomainRules.Normalize(request.Query["subdomain"].ToString());
        if (subdomain.Length == 0)
        {
            return MirageEcsApiEndpoints.Result(StatusCodes.Status400BadRequest, "parameter required: subdomain");
        }
        DateTimeOffset? since = null;
        var sinceText = request.Query["since"].ToString();
        if (sinceText.Length > 0)
        {
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return MirageEcsApiEndpoints.Result(StatusCodes.Status400BadRequest, $"cannot parse since: {sinceText} is not an RFC 3339 time such as 2026-01-02T15:04:05Z");
            }
            since = parsed;
        }
        var tail = 0L;
        var tailText = request.Query["tail"].ToString();
        if (tailText.Length > 0 && tailText != "all" &&
            WholeNumberParameter.Problem("tail", tailText, 0, int.MaxValue, out tail) is { } tailProblem)
        {
            return MirageEcsApiEndpoints.Result(StatusCodes.Status400BadRequest, $"cannot parse tail: {tailProblem} (or \"all\")");
        }

        var observation = await observedTasks.GetAsync(cancellationToken);
        var tasks = observation.RunningFor(subdomain);
        if (tasks.Count == 0)
        {
            return MirageEcsApiEndpoints.Result(StatusCodes.Status404NotFound, $"subdomain {subdomain} is not found");
        }
        var perTask = await Task.WhenAll(tasks.Select(t => backend.ReadLogsAsync(t, since, cancellationToken)));
        // One time line across tasks, and tail over all of it (mirage-ecs applied tail per task).
        var lines = perTask.SelectMany(l => l).OrderBy(l => l.Timestamp).Select(l => l.Message).ToList();
        if (tail > 0 && lines.Count > tail)
        {
            lines = lines[^(int)tail..];
        }
        return Results.Json(new LogsResponse(lines.Count == 0 ? null : lines), ApiJsonContext.Default.LogsResponse);
    }

    private static async Task<IResult> AccessAsync(HttpRequest request, IAccessCountReader accessCounts, CancellationToken cancellationToken)
    {
        var subdomain = SubdomainRules.Normalize(request.Query["subdomain"].ToString());
        // Absent or 0 means the default window, as in mirage-ecs; anything else must be a window counts can answer.
        var durationText = request.Query["duration"].ToString();
        var duration = DefaultAccessWindow;
        if (durationText.Length > 0 && durationText != "0")
        {
            if (WholeNumberParameter.Problem("duration", durationText, 1, AccessCountWindow.MaximumSeconds, out var seconds) is { } problem)
            {
                return MirageEcsApiEndpoints.Result(StatusCodes.Status400BadRequest, $"{problem} seconds (0 or absent: 86400)");
            }
            duration = TimeSpan.FromSeconds(seconds);
        }
        var sum = await accessCounts.GetAccessCountAsync(subdomain, duration, cancellationToken);
        return Results.Json(new AccessResponse("ok", (long)duration.TotalSeconds, sum), ApiJsonContext.Default.AccessResponse);
    }

    private static async Task<IResult> PurgeAsync(
        HttpContext context, PurgeService purge, ApiBehaviour behaviour, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        var (body, status, error) = await RequestBody.ReadAsync(context.Request, behaviour.CompatV1, cancellationToken);
        if (body is null)
        {
            return MirageEcsApiEndpoints.Result(status, error!);
        }
        if (body.CheckTypes(
                ("excludes", JsonValueKind.Array, "an array of subdomains"),
                ("exclude_tags", JsonValueKind.Array, "an array of \"Key:Value\" strings"),
                ("exclude_regexp", JsonValueKind.String, "a regular expression string")) is { } typeError)
        {
            return MirageEcsApiEndpoints.Result(StatusCodes.Status400BadRequest, typeError);
        }
        var (request, invalid) = ParsePurge(body);
        if (request is null)
        {
            return MirageEcsApiEndpoints.Result(StatusCodes.Status400BadRequest, invalid!);
        }
        if (request.DryRun)
        {
            var wouldGo = await purge.SelectAsync(request, cancellationToken);
            return Results.Json(new PurgeDryRunResponse("accepted", wouldGo), ApiJsonContext.Default.PurgeDryRunResponse);
        }
        purge.TryStart(request, lifetime.ApplicationStopping);
        return MirageEcsApiEndpoints.Result(StatusCodes.Status200OK, "accepted");
    }

    /// <summary>
    /// Reads a purge request as mirage-ecs does: duration in seconds (number or string) of at least 300, and (Mirage)
    /// at most the longest window access counts can answer.
    /// </summary>
    public static (PurgeRequest? Request, string? Error) ParsePurge(RequestBody body)
    {
        var durationText = body.Get("duration");
        if (WholeNumberParameter.Problem("duration", durationText, (long)PurgeRequest.MinimumDuration.TotalSeconds, AccessCountWindow.MaximumSeconds, out var seconds) is { } problem)
        {
            // mirage-ecs's prefix first, then the range.
            return (null, $"invalid duration {(durationText.Length > 40 ? durationText[..40] + "…" : durationText)}: {problem} seconds");
        }
        var excludeTags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in body.GetAll("exclude_tags"))
        {
            var colon = tag.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return (null, $"invalid exclude_tags format {tag}");
            }
            excludeTags[tag[..colon]] = tag[(colon + 1)..];
        }
        Regex? excludeRegexp = null;
        var pattern = body.Get("exclude_regexp");
        if (pattern.Length > 0)
        {
            try
            {
                excludeRegexp = Re2Rule.Compile(pattern);
            }
            catch (ArgumentException e)
            {
                return (null, $"invalid exclude_regexp {pattern}: {e.Message}");
            }
        }
        var dryRun = body.Get("dry_run") is "true" or "1";
        return (new PurgeRequest(TimeSpan.FromSeconds(seconds), [.. body.GetAll("excludes")], excludeTags, excludeRegexp, dryRun), null);
    }
}
