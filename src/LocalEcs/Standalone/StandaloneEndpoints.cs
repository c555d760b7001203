using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mirage.LocalEcs.Credentials;
using Mirage.LocalEcs.Docker;
using Mirage.LocalEcs.Endpoints;

namespace Mirage.LocalEcs.Standalone;

/// <summary>
/// The routes of <c>mirage local-endpoints</c>, for containers started by something else (Docker Compose). Paths are
/// the ECS local container endpoints' (<c>/v2/metadata</c>, <c>/v3</c>, <c>/v3/containers/{name}/task</c>, <c>/creds</c>,
/// <c>/role/{name}</c>, <c>/role-arn/{arn}</c>) plus the same shapes under <c>/v4</c> and <c>taskWithTags</c>. The
/// caller is found by its source address, or named in the path. Errors are JSON, with the agent's status codes.
/// </summary>
public static class StandaloneEndpoints
{
    public static IEndpointRouteBuilder MapStandaloneEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        endpoints.Map("/creds", Guarded(context => CredentialsAsync(context, BaseCredentials)));
        endpoints.Map("/role/{role}", Guarded(context => CredentialsAsync(context, RoleByName)));
        // A catch-all, so role ARNs with a path (role/team/name) work too.
        endpoints.Map("/role-arn/{**roleArn}", Guarded(context => CredentialsAsync(context, RoleByArn)));

        endpoints.Map("/v2/metadata", Guarded(context => TaskAsync(context, MetadataVersion.V2, withTags: false)));
        endpoints.Map("/v2/metadata/{identifier}", Guarded(context => ContainerAsync(context, MetadataVersion.V2)));
        endpoints.Map("/v2/stats", Guarded(context => TaskStatsAsync(context, MetadataVersion.V2)));
        endpoints.Map("/v2/stats/{identifier}", Guarded(context => ContainerStatsAsync(context, MetadataVersion.V2)));
        foreach (var (prefix, version) in new[] { ("/v3", MetadataVersion.V3), ("/v4", MetadataVersion.V4) })
        {
            foreach (var root in new[] { prefix, prefix + "/containers/{identifier}" })
            {
                endpoints.Map(root, Guarded(context => ContainerAsync(context, version)));
                endpoints.Map(root + "/task", Guarded(context => TaskAsync(context, version, withTags: false)));
                endpoints.Map(root + "/taskWithTags", Guarded(context => TaskAsync(context, version, withTags: true)));
                endpoints.Map(root + "/stats", Guarded(context => ContainerStatsAsync(context, version)));
                endpoints.Map(root + "/task/stats", Guarded(context => TaskStatsAsync(context, version)));
            }
        }
        endpoints.MapFallback(context => EndpointResponses.MetadataErrorAsync(context, StatusCodes.Status404NotFound,
            $"{context.Request.Path} is not an endpoint; see /v4, /v4/task, /v4/containers/NAME, /v2/metadata, /creds, /role/NAME"));
        return endpoints;
    }

    private static StandaloneEndpointServices Services(HttpContext context) => context.RequestServices.GetRequiredService<StandaloneEndpointServices>();

    private static string? Route(HttpContext context, string name) => context.GetRouteValue(name) as string;

    private static IPAddress Caller(HttpContext context) => context.Connection.RemoteIpAddress ?? IPAddress.None;

    private static async Task ContainerAsync(HttpContext context, MetadataVersion version)
    {
        if (await FindAsync(context) is not { } found)
        {
            return;
        }
        var services = Services(context);
        var container = await InspectedAsync(services.Engine, found.Caller, context.RequestAborted);
        var answer = services.Settings.Overrides.Container(JsonSerializer.SerializeToNode(services.Metadata.Container(container, version), EndpointResponses.MetadataJson)!);
        await context.Response.WriteAsJsonAsync(answer, EndpointResponses.MetadataJson, context.RequestAborted);
    }

    private static async Task TaskAsync(HttpContext context, MetadataVersion version, bool withTags)
    {
        if (await FindAsync(context) is not { } found)
        {
            return;
        }
        var services = Services(context);
        var task = await Task.WhenAll(found.Task.Select(c => InspectedAsync(services.Engine, c, context.RequestAborted)));
        var answer = services.Settings.Overrides.Task(JsonSerializer.SerializeToNode(services.Metadata.Task(task, version, withTags), EndpointResponses.MetadataJson)!);
        await context.Response.WriteAsJsonAsync(answer, EndpointResponses.MetadataJson, context.RequestAborted);
    }

    private static async Task ContainerStatsAsync(HttpContext context, MetadataVersion version)
    {
        if (await FindAsync(context) is not { } found)
        {
            return;
        }
        var stats = await StatsAsync(Services(context), found.Caller, version, context.RequestAborted);
        await context.Response.WriteAsJsonAsync(stats, EndpointResponses.StatsJson, context.RequestAborted);
    }

    /// <summary>The caller's task only, not every container of the host as the seed answers.</summary>
    private static async Task TaskStatsAsync(HttpContext context, MetadataVersion version)
    {
        if (await FindAsync(context) is not { } found)
        {
            return;
        }
        var services = Services(context);
        var samples = await Task.WhenAll(found.Task.Select(async c => (c.Id, Stats: await StatsAsync(services, c, version, context.RequestAborted))));
        await context.Response.WriteAsJsonAsync(samples.ToDictionary(s => s.Id, s => s.Stats), EndpointResponses.StatsJson, context.RequestAborted);
    }

    private static Task<VendedCredentials> BaseCredentials(TaskCredentialsProvider provider, HttpContext context) =>
        provider.ForBaseAsync(context.RequestAborted);

    private static Task<VendedCredentials> RoleByName(TaskCredentialsProvider provider, HttpContext context) =>
        provider.ForRoleNameAsync(Route(context, "role") ?? "", context.RequestAborted);

    private static Task<VendedCredentials> RoleByArn(TaskCredentialsProvider provider, HttpContext context) =>
        provider.ForRoleArnAsync(Route(context, "roleArn") ?? "", context.RequestAborted);

    private static async Task CredentialsAsync(HttpContext context, Func<TaskCredentialsProvider, HttpContext, Task<VendedCredentials>> fetch)
    {
        var services = Services(context);
        // The token first, from every caller (loopback too): a local process or a rebound web page is not a container.
        if (await TokenRefusalAsync(context, services.Settings))
        {
            return;
        }
        var running = await ListAsync(context);
        // Defence in depth for a --listen on a wide address: a token that leaked still works only from here or a container.
        var caller = Caller(context);
        if (!CallerResolver.IsKnownCaller(running, caller))
        {
            await EndpointResponses.CredentialsErrorAsync(context, StatusCodes.Status403Forbidden, "AccessDenied",
                $"{caller} is neither this host nor a running container; credentials are only vended to local containers");
            return;
        }
        await EndpointResponses.VendAsync(context, _ => fetch(services.Credentials, context), services.Logger, "caller " + caller);
    }

    /// <summary>True after writing the 401/403 when the request does not carry <c>LOCAL_ENDPOINTS_TOKEN</c>.</summary>
    private static async Task<bool> TokenRefusalAsync(HttpContext context, StandaloneSettings settings)
    {
        if (settings.AuthorizationTokenHash is not { } expected)
        {
            await EndpointResponses.CredentialsErrorAsync(context, StatusCodes.Status403Forbidden, "NoTokenConfigured",
                "these endpoints were started without LOCAL_ENDPOINTS_TOKEN, so they vend credentials to nobody; set it (e.g. openssl rand -hex 32) and give containers the same value as AWS_CONTAINER_AUTHORIZATION_TOKEN");
            return true;
        }
        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            await EndpointResponses.CredentialsErrorAsync(context, StatusCodes.Status401Unauthorized, "MissingAuthorization",
                "the Authorization header is missing: send the value of AWS_CONTAINER_AUTHORIZATION_TOKEN (the endpoints' LOCAL_ENDPOINTS_TOKEN)");
            return true;
        }
        if (!AuthorizationToken.Matches(header, expected))
        {
            await EndpointResponses.CredentialsErrorAsync(context, StatusCodes.Status403Forbidden, "InvalidAuthorization",
                "the Authorization header is not the endpoints' LOCAL_ENDPOINTS_TOKEN");
            return true;
        }
        return false;
    }

    /// <summary>The container the request is about and its task, or null after writing the error.</summary>
    private static async Task<(EngineContainer Caller, IReadOnlyList<EngineContainer> Task)?> FindAsync(HttpContext context)
    {
        var running = await ListAsync(context);
        if (!CallerResolver.IsKnownCaller(running, Caller(context)))
        {
            // Labels and addresses are for the containers' own use, not for the network the port is open to.
            await EndpointResponses.MetadataErrorAsync(context, StatusCodes.Status403Forbidden,
                $"{Caller(context)} is neither this host nor a running container; metadata is only answered to local containers");
            return null;
        }
        var hostname = Services(context).Settings.Hostname;
        var resolution = CallerResolver.Resolve(running, Route(context, "identifier"), Caller(context), hostname);
        if (resolution.Container is not { } caller)
        {
            await EndpointResponses.MetadataErrorAsync(context, resolution.StatusCode, resolution.Message);
            return null;
        }
        return (caller, CallerResolver.TaskOf(caller, running, hostname));
    }

    private static async Task<IReadOnlyList<EngineContainer>> ListAsync(HttpContext context) =>
        [.. (await Services(context).Engine.ListContainersAsync(context.RequestAborted)).Select(EngineContainer.FromList)];

    /// <summary>The handler, answering 503 in JSON when the engine cannot be asked (at any of its calls).</summary>
    private static RequestDelegate Guarded(RequestDelegate handler) => async context =>
    {
        try
        {
            await handler(context);
        }
        catch (Exception e) when (e is DockerEngineException or HttpRequestException or SocketException && !context.Response.HasStarted)
        {
            await EndpointResponses.MetadataErrorAsync(context, StatusCodes.Status503ServiceUnavailable,
                $"the container engine at {Services(context).Engine.Host} cannot be asked: {e.Message}; check DOCKER_HOST and that the socket is mounted");
        }
    };

    /// <summary>The container with its inspect details; as listed when it is gone meanwhile.</summary>
    private static async Task<EngineContainer> InspectedAsync(DockerEngineClient engine, EngineContainer container, CancellationToken cancellationToken) =>
        await engine.InspectContainerAsync(container.Id, cancellationToken) is { } inspect ? container.WithInspect(inspect) : container;

    private static async Task<ContainerStats> StatsAsync(StandaloneEndpointServices services, EngineContainer container, MetadataVersion version, CancellationToken cancellationToken)
    {
        var read = Rfc3339.Format(services.Time.GetUtcNow());
        var sample = await services.Engine.StatsAsync(container.Id, cancellationToken);
        return DockerStatsConverter.Convert(sample, container.Id, container.Name, version, read, previous: null);
    }
}
