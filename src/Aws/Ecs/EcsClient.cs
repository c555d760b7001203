using Microsoft.Extensions.Logging;
using Mirage.Aws.Ecs.Wire;
using Mirage.Aws.Endpoints;
using Mirage.Aws.Transport;

namespace Mirage.Aws.Ecs;

/// <summary>The ECS operations Mirage uses, over awsJson1.1.</summary>
public sealed partial class EcsClient(HttpClient httpClient, AwsClientContext context, TaskDefinitionCache taskDefinitions, ILogger<EcsClient> logger)
{
    public const string TargetPrefix = "AmazonEC2ContainerServiceV20141113";

    /// <summary>
    /// Tag carrying the RunTask client token. ECS dedupes on the token itself; the tag lets a retry find the task a
    /// lost response started even where the token is not honoured (moto 5.1.1 ignores it).
    /// </summary>
    public const string ClientTokenTag = "mirage:client-token";

    /// <summary>DescribeTasks takes at most 100 tasks per call.</summary>
    public const int DescribeTasksBatchSize = 100;

    /// <summary>DescribeServices takes at most 10 services per call.</summary>
    public const int DescribeServicesBatchSize = 10;

    private readonly AwsServiceCaller _caller = new(httpClient, context, AwsService.Ecs);

    public AwsEndpoint Endpoint => _caller.Endpoint;

    /// <summary>
    /// Starts tasks. Retried only when <see cref="RunTaskRequest.ClientToken"/> is set; before each retry the
    /// cluster is searched for a task already started with that token, which is returned instead.
    /// </summary>
    public async Task<RunTaskResponse> RunTaskAsync(RunTaskRequest request, CancellationToken cancellationToken)
    {
        if (request.ClientToken is not { Length: > 0 } token)
        {
            return await CallAsync("RunTask", request, EcsJsonContext.Default.RunTaskRequest, EcsJsonContext.Default.RunTaskResponse, retryable: false, cancellationToken);
        }
        if (token.Length > 64)
        {
            throw new ArgumentException($"An ECS client token is at most 64 characters (got {token.Length}).", nameof(request));
        }
        var tagged = request with
        {
            Tags = [.. (request.Tags ?? []).Where(t => t.Key != ClientTokenTag), new EcsResourceTag(ClientTokenTag, token)],
        };
        var attempt = 0;
        var response = await _caller.SendAsync(
            "RunTask",
            () => AwsJsonProtocol.Request(TargetPrefix, "RunTask", tagged, EcsJsonContext.Default.RunTaskRequest),
            retryable: true,
            cancellationToken,
            beforeAttempt: async ct =>
            {
                if (++attempt == 1)
                {
                    return null;
                }
                var existing = await FindByClientTokenAsync(tagged, ct);
                if (existing is null)
                {
                    return null;
                }
                LogDeduplicated(logger, token, existing.TaskArn);
                return existing;
            });
        return response.Existing is { } found
            ? new RunTaskResponse([found], [])
            : AwsJsonProtocol.Read(response.Response!, EcsJsonContext.Default.RunTaskResponse, "ECS", "RunTask");
    }

    public async Task<EcsTask?> StopTaskAsync(string cluster, string task, string? reason, CancellationToken cancellationToken)
    {
        var response = await CallAsync("StopTask", new StopTaskRequest(cluster, task, reason), EcsJsonContext.Default.StopTaskRequest, EcsJsonContext.Default.StopTaskResponse, retryable: true, cancellationToken);
        return response.Task;
    }

    /// <summary>Every task ARN matching the filter, following nextToken to the last page.</summary>
    public async Task<IReadOnlyList<string>> ListTasksAsync(ListTasksRequest filter, CancellationToken cancellationToken)
    {
        var arns = new List<string>();
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        var request = filter with { NextToken = null };
        while (true)
        {
            var page = await CallAsync("ListTasks", request, EcsJsonContext.Default.ListTasksRequest, EcsJsonContext.Default.ListTasksResponse, retryable: true, cancellationToken);
            arns.AddRange(page.TaskArns ?? []);
            // A token seen before would loop forever; an emulator bug must not become a hot loop.
            if (page.NextToken is not { Length: > 0 } next || !seenTokens.Add(next))
            {
                return arns;
            }
            request = request with { NextToken = next };
        }
    }

    /// <summary>Describes any number of tasks (with their tags), in batches of 100.</summary>
    public async Task<DescribeTasksResponse> DescribeTasksAsync(string cluster, IReadOnlyCollection<string> taskArns, CancellationToken cancellationToken)
    {
        var tasks = new List<EcsTask>();
        var failures = new List<EcsFailure>();
        foreach (var batch in taskArns.Chunk(DescribeTasksBatchSize))
        {
            var page = await CallAsync("DescribeTasks", new DescribeTasksRequest(cluster, batch, ["TAGS"]), EcsJsonContext.Default.DescribeTasksRequest, EcsJsonContext.Default.DescribeTasksResponse, retryable: true, cancellationToken);
            tasks.AddRange(page.Tasks ?? []);
            failures.AddRange(page.Failures ?? []);
        }
        return new DescribeTasksResponse(tasks, failures);
    }

    /// <summary>ListTasks then DescribeTasks: the tasks matching the filter, with tags.</summary>
    public async Task<IReadOnlyList<EcsTask>> ListAndDescribeTasksAsync(ListTasksRequest filter, CancellationToken cancellationToken)
    {
        var arns = await ListTasksAsync(filter, cancellationToken);
        return arns.Count == 0 ? [] : (await DescribeTasksAsync(filter.Cluster, arns, cancellationToken)).Tasks ?? [];
    }

    /// <summary>A task definition by family, family:revision or ARN; revision ARNs are served from the cache.</summary>
    public async Task<EcsTaskDefinition> DescribeTaskDefinitionAsync(string taskDefinition, CancellationToken cancellationToken)
    {
        if (taskDefinitions.TryGet(taskDefinition, out var cached))
        {
            return cached!;
        }
        var response = await CallAsync("DescribeTaskDefinition", new DescribeTaskDefinitionRequest(taskDefinition), EcsJsonContext.Default.DescribeTaskDefinitionRequest, EcsJsonContext.Default.DescribeTaskDefinitionResponse, retryable: true, cancellationToken);
        var definition = response.TaskDefinition ?? throw new InvalidDataException($"ECS DescribeTaskDefinition returned no task definition for {taskDefinition}");
        taskDefinitions.Add(definition);
        return definition;
    }

    public async Task<DescribeServicesResponse> DescribeServicesAsync(string cluster, IReadOnlyCollection<string> services, CancellationToken cancellationToken)
    {
        var found = new List<EcsService>();
        var failures = new List<EcsFailure>();
        foreach (var batch in services.Chunk(DescribeServicesBatchSize))
        {
            var page = await CallAsync("DescribeServices", new DescribeServicesRequest(cluster, batch), EcsJsonContext.Default.DescribeServicesRequest, EcsJsonContext.Default.DescribeServicesResponse, retryable: true, cancellationToken);
            found.AddRange(page.Services ?? []);
            failures.AddRange(page.Failures ?? []);
        }
        return new DescribeServicesResponse(found, failures);
    }

    // One attempt each: this runs inside an attempt of the retried RunTask, whose pipeline handles failures.
    private async Task<EcsTask?> FindByClientTokenAsync(RunTaskRequest request, CancellationToken cancellationToken)
    {
        var filter = new ListTasksRequest
        {
            Cluster = request.Cluster,
            DesiredStatus = EcsDesiredStatus.Running,
            StartedBy = request.StartedBy,
            Family = request.StartedBy is null ? TaskDefinitionCache.FamilyOf(request.TaskDefinition) : null,
        };
        var arns = new List<string>();
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var page = await CallOnceAsync("ListTasks", filter, EcsJsonContext.Default.ListTasksRequest, EcsJsonContext.Default.ListTasksResponse, cancellationToken);
            arns.AddRange(page.TaskArns ?? []);
            if (page.NextToken is not { Length: > 0 } next || !seenTokens.Add(next))
            {
                break;
            }
            filter = filter with { NextToken = next };
        }
        foreach (var batch in arns.Chunk(DescribeTasksBatchSize))
        {
            var page = await CallOnceAsync("DescribeTasks", new DescribeTasksRequest(request.Cluster, batch, ["TAGS"]), EcsJsonContext.Default.DescribeTasksRequest, EcsJsonContext.Default.DescribeTasksResponse, cancellationToken);
            if (page.Tasks?.FirstOrDefault(t => t.Tag(ClientTokenTag) == request.ClientToken) is { } task)
            {
                return task;
            }
        }
        return null;
    }

    private async Task<TResponse> CallAsync<TRequest, TResponse>(
        string operation,
        TRequest request,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TRequest> requestType,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResponse> responseType,
        bool retryable,
        CancellationToken cancellationToken)
    {
        var response = await _caller.SendAsync(operation, () => AwsJsonProtocol.Request(TargetPrefix, operation, request, requestType), retryable, cancellationToken);
        return AwsJsonProtocol.Read(response, responseType, "ECS", operation);
    }

    private async Task<TResponse> CallOnceAsync<TRequest, TResponse>(
        string operation,
        TRequest request,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TRequest> requestType,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        var response = await _caller.SendOnceAsync(operation, AwsJsonProtocol.Request(TargetPrefix, operation, request, requestType), cancellationToken);
        return AwsJsonProtocol.Read(response, responseType, "ECS", operation);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "RunTask retry found task {TaskArn} already started with client token {ClientToken}; not starting another")]
    private static partial void LogDeduplicated(ILogger logger, string clientToken, string taskArn);
}
