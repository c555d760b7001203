using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Mirage.Aws.Discovery;
using Mirage.Aws.Ecs;
using Mirage.Aws.Ecs.Wire;
using Mirage.Aws.Errors;
using Mirage.Aws.Logs;
using Mirage.Model.Backend;
using Mirage.Model.Launch;
using RunTaskRequest = Mirage.Model.Backend.RunTaskRequest;

namespace Mirage.Aws.Backend;

/// <summary>The reconciler's backend over Amazon ECS (and CloudWatch Logs for task logs).</summary>
public sealed partial class AwsEcsBackend(EcsClient ecs, CloudWatchLogsClient logs, EcsSettingsProvider settings, ILogger<AwsEcsBackend> logger) : IEcsBackend
{
    private readonly ConcurrentDictionary<string, bool> _warnedDrivers = new(StringComparer.Ordinal);

    public async Task<ObservedTask> RunTaskAsync(RunTaskRequest request, CancellationToken cancellationToken)
    {
        var resolved = await settings.GetAsync(cancellationToken);
        var response = await ecs.RunTaskAsync(new Ecs.Wire.RunTaskRequest
        {
            Cluster = resolved.Cluster,
            TaskDefinition = request.TaskDefinition,
            LaunchType = resolved.LaunchType,
            CapacityProviderStrategy = resolved.CapacityProviderStrategy,
            NetworkConfiguration = resolved.NetworkConfiguration,
            EnableExecuteCommand = resolved.EnableExecuteCommand,
            StartedBy = request.StartedBy,
            ClientToken = request.ClientToken,
            Tags = [.. request.Tags.Select(t => new EcsResourceTag(t.Key, t.Value))],
            Overrides = new EcsTaskOverride
            {
                ContainerOverrides = [.. request.Overrides.Select(o => new EcsContainerOverride
                {
                    Name = o.Name,
                    Environment = [.. o.Environment.Select(e => new EcsKeyValuePair(e.Name, e.Value))],
                })],
            },
        }, cancellationToken);
        if (response.Failures is [var failure, ..])
        {
            throw new InvalidOperationException($"run task failed. reason:{failure.Reason} arn:{failure.Arn}{(failure.Detail is null ? "" : $" detail:{failure.Detail}")}");
        }
        var task = response.Tasks?.FirstOrDefault()
            ?? throw new InvalidOperationException($"run task of {request.TaskDefinition} returned neither a task nor a failure");
        // RunTask's answer need not carry the tags; the task cache files the task by them.
        if (task.Tags is not { Count: > 0 })
        {
            task = task with { Tags = [.. request.Tags.Select(t => new EcsResourceTag(t.Key, t.Value))] };
        }
        return await ObserveAsync(task, cancellationToken);
    }

    public async Task<ObservedTask?> StopTaskAsync(string taskArn, string reason, CancellationToken cancellationToken)
    {
        var resolved = await settings.GetAsync(cancellationToken);
        try
        {
            var stopped = await ecs.StopTaskAsync(resolved.Cluster, taskArn, reason, cancellationToken);
            return stopped is null ? null : await ObserveAsync(stopped, cancellationToken);
        }
        catch (AwsServiceException e) when (e.Code == "InvalidParameterException" && e.ErrorMessage.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            // Stopping a task ECS has already forgotten is done.
            LogStopUnknown(taskArn);
            return null;
        }
    }

    /// <summary>DescribeTasks of just these ARNs (batches of 100); tasks ECS no longer knows are left out.</summary>
    public async Task<IReadOnlyList<ObservedTask>> DescribeTasksAsync(IReadOnlyCollection<string> taskArns, CancellationToken cancellationToken)
    {
        if (taskArns.Count == 0)
        {
            return [];
        }
        var resolved = await settings.GetAsync(cancellationToken);
        var described = await ecs.DescribeTasksAsync(resolved.Cluster, taskArns, cancellationToken);
        var observed = new List<ObservedTask>();
        foreach (var task in described.Tasks ?? [])
        {
            observed.Add(await ObserveAsync(task, cancellationToken));
        }
        return observed;
    }

    /// <summary>
    /// Every task of the cluster with the desired status that carries <c>ManagedBy=Mirage</c>. Listed by status,
    /// not by startedBy: mirage-ecs launches without startedBy, and its tasks must be found (and adopted) too.
    /// </summary>
    public async Task<IReadOnlyList<ObservedTask>> ListTasksAsync(TaskDesiredStatus desiredStatus, CancellationToken cancellationToken)
    {
        var resolved = await settings.GetAsync(cancellationToken);
        var tasks = await ecs.ListAndDescribeTasksAsync(new ListTasksRequest
        {
            Cluster = resolved.Cluster,
            DesiredStatus = desiredStatus == TaskDesiredStatus.Running ? EcsDesiredStatus.Running : EcsDesiredStatus.Stopped,
        }, cancellationToken);
        var managed = tasks.Where(t => LaunchEnvironment.IsManagedByMirage(ToTags(t))).ToList();
        // One DescribeTaskDefinition per distinct revision (and none once cached).
        foreach (var arn in managed.Select(t => t.TaskDefinitionArn).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            await TryDescribeAsync(arn, cancellationToken);
        }
        var observed = new List<ObservedTask>(managed.Count);
        foreach (var task in managed)
        {
            observed.Add(await ObserveAsync(task, cancellationToken));
        }
        return observed;
    }

    public async Task<TaskDefinitionInfo> DescribeTaskDefinitionAsync(string taskDefinition, CancellationToken cancellationToken)
    {
        var definition = await DescribeWireAsync(taskDefinition, cancellationToken);
        return new TaskDefinitionInfo(
            definition.TaskDefinitionArn,
            definition.Family,
            definition.Revision,
            [.. definition.ContainerDefinitions.Select(c => new ContainerDefinitionInfo(
                c.Name,
                c.Essential ?? true,
                [.. (c.PortMappings ?? []).Select(p => p.ContainerPort).OfType<int>()],
                c.LogConfiguration is { } log ? new LogConfigurationInfo(log.LogDriver, log.Options ?? new Dictionary<string, string>()) : null))]);
    }

    /// <summary>
    /// Lines of the task's <c>awslogs</c> containers (stream <c>{prefix}/{container}/{taskId}</c>), every page, from
    /// <paramref name="since"/> on, merged oldest first. Containers with other drivers are skipped (warned once per driver).
    /// </summary>
    public async Task<IReadOnlyList<LogLine>> ReadLogsAsync(ObservedTask task, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var definition = await DescribeWireAsync(task.TaskDefinitionArn, cancellationToken);
        var lines = new List<LogLine>();
        foreach (var container in definition.ContainerDefinitions)
        {
            if (container.LogConfiguration is not { } log)
            {
                continue;
            }
            if (log.LogDriver != "awslogs")
            {
                if (_warnedDrivers.TryAdd(log.LogDriver, true))
                {
                    LogDriverNotSupported(log.LogDriver, container.Name);
                }
                continue;
            }
            var options = log.Options ?? new Dictionary<string, string>();
            if (!options.TryGetValue("awslogs-group", out var group) || !options.TryGetValue("awslogs-stream-prefix", out var prefix))
            {
                continue;
            }
            var stream = $"{prefix}/{container.Name}/{task.ShortId}";
            try
            {
                var events = await logs.GetLogEventsAsync(new LogEventsQuery(group, stream, StartTime: since, StartFromHead: true), cancellationToken);
                lines.AddRange(events.Select(e => new LogLine(e.Timestamp, container.Name, e.Message)));
            }
            catch (AwsServiceException e) when (e.Code == "ResourceNotFoundException")
            {
                // A task that has not written yet has no stream.
                LogStreamMissing(group, stream);
            }
        }
        return [.. lines.OrderBy(l => l.Timestamp)];
    }

    private async Task<EcsTaskDefinition> DescribeWireAsync(string taskDefinition, CancellationToken cancellationToken)
    {
        try
        {
            return await ecs.DescribeTaskDefinitionAsync(taskDefinition, cancellationToken);
        }
        catch (AwsServiceException e) when (e.StatusCode == HttpStatusCode.BadRequest && e.Code == "ClientException" &&
                                            e.ErrorMessage.Contains("Unable to describe task definition", StringComparison.OrdinalIgnoreCase))
        {
            throw new TaskDefinitionNotFoundException(taskDefinition, e.ErrorMessage);
        }
    }

    private async Task<EcsTaskDefinition?> TryDescribeAsync(string taskDefinitionArn, CancellationToken cancellationToken)
    {
        try
        {
            return await DescribeWireAsync(taskDefinitionArn, cancellationToken);
        }
        catch (TaskDefinitionNotFoundException e)
        {
            // A deregistered-and-deleted definition: the task is still listed, without ports.
            LogDefinitionMissing(taskDefinitionArn, e.Message);
            return null;
        }
    }

    /// <summary>The task with its ports, from its task definition (described once per revision).</summary>
    public async Task<ObservedTask> ObserveAsync(EcsTask task, CancellationToken cancellationToken)
    {
        var definition = task.TaskDefinitionArn is { } arn ? await TryDescribeAsync(arn, cancellationToken) : null;
        return ToObserved(task, definition);
    }

    public static ObservedTask ToObserved(EcsTask task, EcsTaskDefinition? definition)
    {
        var ip = task.PrivateIpv4Address ?? "";
        return new ObservedTask
        {
            Arn = task.TaskArn,
            TaskDefinitionArn = task.TaskDefinitionArn ?? "",
            LastStatus = task.LastStatus ?? EcsTaskStatus.Provisioning,
            DesiredStatus = task.DesiredStatus ?? EcsTaskStatus.Running,
            Tags = ToTags(task),
            StartedBy = task.StartedBy,
            Containers = [.. (task.Containers ?? []).Select(c => new ObservedContainer(c.Name, c.LastStatus ?? "", c.ExitCode, c.Reason))],
            Ports = definition is null || ip.Length == 0 ? [] : PortsOf(task, definition, ip),
            IpAddress = ip,
            Overrides = [.. (task.Overrides?.ContainerOverrides ?? []).Select(o => new ContainerOverride(
                o.Name, [.. (o.Environment ?? []).Select(e => new EnvironmentVariable(e.Name, e.Value))]))],
            CreatedAt = task.CreatedAt,
            StartedAt = task.StartedAt,
            StoppingAt = task.StoppingAt,
            StoppedAt = task.StoppedAt,
            StoppedReason = task.StoppedReason,
            StopCode = task.StopCode,
            Version = task.Version,
        };
    }

    /// <summary>
    /// awsvpc: each container port on the ENI address. bridge/host: the host port ECS bound (dynamic port mapping), else
    /// the definition's host port, else the container port.
    /// </summary>
    public static IReadOnlyList<TaskPortBinding> PortsOf(EcsTask task, EcsTaskDefinition definition, string ip)
    {
        var awsvpc = definition.NetworkMode is null or "awsvpc";
        var ports = new List<TaskPortBinding>();
        foreach (var container in definition.ContainerDefinitions)
        {
            var bindings = task.Containers?.FirstOrDefault(c => c.Name == container.Name)?.NetworkBindings ?? [];
            foreach (var mapping in container.PortMappings ?? [])
            {
                if (mapping.ContainerPort is not { } containerPort)
                {
                    continue;
                }
                var hostPort = awsvpc
                    ? containerPort
                    : bindings.FirstOrDefault(b => b.ContainerPort == containerPort)?.HostPort ?? (mapping.HostPort is > 0 ? mapping.HostPort.Value : containerPort);
                ports.Add(new TaskPortBinding(container.Name, containerPort, ip, hostPort));
            }
        }
        return ports;
    }

    private static IReadOnlyList<EcsTag> ToTags(EcsTask task) => [.. (task.Tags ?? []).Select(t => new EcsTag(t.Key, t.Value))];

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "LogDriver {Driver} is not supported (container {Container}); only awslogs logs are read")]
    private partial void LogDriverNotSupported(string driver, string container);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Debug, Message = "No log stream {Stream} in {Group} yet")]
    private partial void LogStreamMissing(string group, string stream);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Task definition {TaskDefinition} cannot be described: {Error}")]
    private partial void LogDefinitionMissing(string taskDefinition, string error);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Debug, Message = "StopTask: task {TaskArn} is unknown to ECS; nothing to stop")]
    private partial void LogStopUnknown(string taskArn);
}
