namespace Mirage.Model.Backend;

/// <summary>
/// What the reconciler needs from ECS; implemented over AWS (src/Aws) and by the embedded LocalEcs.
/// Every method is safe to retry: RunTask is idempotent on its client token.
/// </summary>
public interface IEcsBackend
{
    /// <summary>Starts one task; a repeated call with the same client token returns the task started first.</summary>
    Task<ObservedTask> RunTaskAsync(RunTaskRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Stops a task and answers it as the backend now sees it (desired status STOPPED); stopping an already stopped
    /// or unknown task is not an error (null when the backend no longer knows the task).
    /// </summary>
    Task<ObservedTask?> StopTaskAsync(string taskArn, string reason, CancellationToken cancellationToken);

    /// <summary>Tasks carrying <c>ManagedBy=Mirage</c> with the given desired status.</summary>
    Task<IReadOnlyList<ObservedTask>> ListTasksAsync(TaskDesiredStatus desiredStatus, CancellationToken cancellationToken);

    /// <summary>The named tasks as they are now (unknown ARNs are left out); for a pass that must know just these.</summary>
    Task<IReadOnlyList<ObservedTask>> DescribeTasksAsync(IReadOnlyCollection<string> taskArns, CancellationToken cancellationToken);

    Task<TaskDefinitionInfo> DescribeTaskDefinitionAsync(string taskDefinition, CancellationToken cancellationToken);

    /// <summary>Log lines of the task's containers, oldest first, from <paramref name="since"/> on.</summary>
    Task<IReadOnlyList<LogLine>> ReadLogsAsync(ObservedTask task, DateTimeOffset? since, CancellationToken cancellationToken);
}
