using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mirage.LocalEcs.Credentials;
using Mirage.LocalEcs.Tasks;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Endpoints;

/// <summary>
/// The ECS task metadata (v2, v3, v4) and credentials routes for local tasks. Any method is accepted, as the
/// ECS local container endpoints do. Paths embed the task id (and container name), since on loopback callers
/// cannot be told apart by IP: <c>/v4/{taskId}/{container}</c>, <c>/v2/{taskId}/metadata</c>, <c>/creds/{taskId}</c>.
/// </summary>
public static class LocalEcsEndpoints
{
    public static IEndpointRouteBuilder MapLocalEcsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        endpoints.Map("/creds/{taskId}", TaskCredentialsAsync);
        endpoints.Map("/creds", context => SharedCredentialsAsync(context, CredentialsGrant.ForBase));
        endpoints.Map("/role/{role}", context => SharedCredentialsAsync(context, task => CredentialsGrant.ForRoleName(task, Route(context, "role"))));
        // A catch-all, so role ARNs with a path (role/team/name) work too.
        endpoints.Map("/role-arn/{**roleArn}", context => SharedCredentialsAsync(context, task => CredentialsGrant.ForRoleArn(task, Route(context, "roleArn"))));

        foreach (var (prefix, version) in new[] { ("v3", MetadataVersion.V3), ("v4", MetadataVersion.V4) })
        {
            var root = $"/{prefix}/{{taskId}}/{{container}}";
            endpoints.Map(root, context => ContainerAsync(context, version, ById(context)));
            endpoints.Map(root + "/task", context => TaskAsync(context, version, withTags: false, ById(context)));
            endpoints.Map(root + "/taskWithTags", context => TaskAsync(context, version, withTags: true, ById(context)));
            endpoints.Map(root + "/stats", context => ContainerStatsAsync(context, version, ById(context)));
            endpoints.Map(root + "/task/stats", context => TaskStatsAsync(context, version, ById(context)));
        }

        endpoints.Map("/v2/{taskId}/metadata", context => TaskAsync(context, MetadataVersion.V2, withTags: false, ByTask(context)));
        endpoints.Map("/v2/{taskId}/metadata/{container}", context => ContainerAsync(context, MetadataVersion.V2, ById(context)));
        endpoints.Map("/v2/{taskId}/stats", context => TaskStatsAsync(context, MetadataVersion.V2, ByTask(context)));
        endpoints.Map("/v2/{taskId}/stats/{container}", context => ContainerStatsAsync(context, MetadataVersion.V2, ById(context)));
        // The AWS-documented v2 paths, for programs that hard-code them: the caller is found by its connection.
        endpoints.Map("/v2/metadata", context => TaskAsync(context, MetadataVersion.V2, withTags: false, ByCaller(context)));
        endpoints.Map("/v2/metadata/{container}", context => ContainerAsync(context, MetadataVersion.V2, ByCallerTask(context)));
        endpoints.Map("/v2/stats", context => TaskStatsAsync(context, MetadataVersion.V2, ByCaller(context)));
        endpoints.Map("/v2/stats/{container}", context => ContainerStatsAsync(context, MetadataVersion.V2, ByCallerTask(context)));
        return endpoints;
    }

    private static LocalEcsEndpointServices Services(HttpContext context) => context.RequestServices.GetRequiredService<LocalEcsEndpointServices>();

    private static string Route(HttpContext context, string name) => context.GetRouteValue(name) as string ?? "";

    /// <summary>The task and container named in the path; the container is null when not found.</summary>
    private static Lookup ById(HttpContext context)
    {
        var task = Services(context).Registry.Snapshot(Route(context, "taskId"));
        var name = Route(context, "container");
        var found = task?.Containers.Any(c => c.Name == name) == true;
        return new Lookup(found ? WithCallerAddress(task!, name, context) : task, found ? name : null, $"task {Route(context, "taskId")} container {name}");
    }

    /// <summary>
    /// A container can ask before LocalEcs has read its address back from the engine (a busy engine answers the
    /// inspect after the container's first request); it calls from that address, so the answer uses it.
    /// </summary>
    private static LocalTaskSnapshot WithCallerAddress(LocalTaskSnapshot task, string name, HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } remote || IPAddress.IsLoopback(remote)
            || task.Containers.FirstOrDefault(c => c.Name == name) is not { ContainerId: not null, IpAddress: null })
        {
            return task;
        }
        var address = (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString();
        return task with { Containers = [.. task.Containers.Select(c => c.Name == name ? c with { IpAddress = address } : c)] };
    }

    private static Lookup ByTask(HttpContext context)
    {
        var task = Services(context).Registry.Snapshot(Route(context, "taskId"));
        return new Lookup(task, task?.Containers[0].Name, $"task {Route(context, "taskId")}");
    }

    private static Lookup ByCaller(HttpContext context)
    {
        var found = FindCaller(context);
        return new Lookup(found?.Task, found?.Container, "the calling process (it is not a process of a local task)");
    }

    private static Lookup ByCallerTask(HttpContext context)
    {
        var found = FindCaller(context);
        var name = Route(context, "container");
        var container = found?.Task.Containers.Any(c => c.Name == name) == true ? name : null;
        return new Lookup(found?.Task, container, $"container {name} of the calling task");
    }

    private static (LocalTaskSnapshot Task, string Container)? FindCaller(HttpContext context)
    {
        var connection = context.Connection;
        var tasks = Services(context).Registry.Snapshots();
        // A container (docker runtime) calls from its task's network address; local processes all share loopback,
        // so theirs is found by the socket in /proc.
        if (connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote))
        {
            var address = (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString();
            return tasks.Where(t => t.LastStatus != EcsTaskStatus.Stopped)
                .SelectMany(t => t.Containers.Where(c => c.IpAddress == address).Select(c => ((LocalTaskSnapshot Task, string Container)?)(t, c.Name)))
                .FirstOrDefault();
        }
        return CallerLookup.Find(tasks, connection.RemotePort, connection.LocalPort);
    }

    private static Task ContainerAsync(HttpContext context, MetadataVersion version, Lookup lookup) =>
        lookup.Container is { } name
            ? context.Response.WriteAsJsonAsync(Services(context).Metadata.Container(lookup.Task!, name, version), EndpointResponses.MetadataJson, context.RequestAborted)
            : NotFoundAsync(context, lookup);

    private static Task TaskAsync(HttpContext context, MetadataVersion version, bool withTags, Lookup lookup) =>
        lookup.Task is { } task && lookup.Container is not null
            ? context.Response.WriteAsJsonAsync(Services(context).Metadata.Task(task, version, withTags), EndpointResponses.MetadataJson, context.RequestAborted)
            : NotFoundAsync(context, lookup);

    private static async Task ContainerStatsAsync(HttpContext context, MetadataVersion version, Lookup lookup)
    {
        if (lookup.Container is not { } name)
        {
            await NotFoundAsync(context, lookup);
            return;
        }
        var stats = await Services(context).Stats.SampleAsync(lookup.Task!, name, version, context.RequestAborted);
        await context.Response.WriteAsJsonAsync(stats, EndpointResponses.StatsJson, context.RequestAborted);
    }

    private static async Task TaskStatsAsync(HttpContext context, MetadataVersion version, Lookup lookup)
    {
        if (lookup.Task is not { } task || lookup.Container is null)
        {
            await NotFoundAsync(context, lookup);
            return;
        }
        var stats = await Services(context).Stats.SampleTaskAsync(task, version, context.RequestAborted);
        await context.Response.WriteAsJsonAsync(stats, EndpointResponses.StatsJson, context.RequestAborted);
    }

    /// <summary>As the ECS agent: a JSON string body with a 404.</summary>
    private static Task NotFoundAsync(HttpContext context, Lookup lookup) =>
        EndpointResponses.MetadataErrorAsync(context, StatusCodes.Status404NotFound, $"Unable to find {lookup.What}: it is not a local task known to Mirage");

    private static async Task TaskCredentialsAsync(HttpContext context)
    {
        var services = Services(context);
        var taskId = Route(context, "taskId");
        var task = services.Registry.Snapshot(taskId);
        if (task is null || task.LastStatus == EcsTaskStatus.Stopped)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, "InvalidIdInRequest", $"no running local task has id '{taskId}'");
            return;
        }
        if (await AuthorizedTaskAsync(context, [task]) is null)
        {
            return;
        }
        await VendAsync(context, ct => services.Credentials.ForTaskRoleAsync(task.Definition.TaskRoleArn, ct), "local task " + task.TaskId);
    }

    /// <summary>
    /// /creds, /role and /role-arn: the token names the calling task, and it gets only what ECS would give it: its own
    /// task role, or the base identity when it has none. Anything else is a 403 that says what it may ask for.
    /// </summary>
    private static async Task SharedCredentialsAsync(HttpContext context, Func<LocalTaskSnapshot, CredentialsGrant> decide)
    {
        var services = Services(context);
        var running = services.Registry.Snapshots().Where(t => t.LastStatus != EcsTaskStatus.Stopped).ToList();
        if (await AuthorizedTaskAsync(context, running) is not { } task)
        {
            return;
        }
        var grant = decide(task);
        if (grant.Refusal is { } refusal)
        {
            await ErrorAsync(context, StatusCodes.Status403Forbidden, "AccessDenied", refusal);
            return;
        }
        await VendAsync(context, ct => services.Credentials.ForTaskRoleAsync(grant.RoleArn, ct), "local task " + task.TaskId);
    }

    /// <summary>The task whose token the request carries, or null after writing the 401/403.</summary>
    private static async Task<LocalTaskSnapshot?> AuthorizedTaskAsync(HttpContext context, IReadOnlyList<LocalTaskSnapshot> candidates)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, "MissingAuthorization",
                "the Authorization header is missing: send the value of AWS_CONTAINER_AUTHORIZATION_TOKEN");
            return null;
        }
        if (AuthorizationToken.FindOwner(header, candidates, t => t.AuthorizationTokenHash) is { } task)
        {
            return task;
        }
        await ErrorAsync(context, StatusCodes.Status403Forbidden, "InvalidAuthorization",
            "the Authorization header is not the AWS_CONTAINER_AUTHORIZATION_TOKEN of a running local task");
        return null;
    }

    private static Task VendAsync(HttpContext context, Func<CancellationToken, Task<VendedCredentials>> fetch, string caller) =>
        EndpointResponses.VendAsync(context, fetch, Services(context).Logger, caller);

    private static Task ErrorAsync(HttpContext context, int status, string code, string message) =>
        EndpointResponses.CredentialsErrorAsync(context, status, code, message);

    private sealed record Lookup(LocalTaskSnapshot? Task, string? Container, string What);
}
