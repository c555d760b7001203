using Microsoft.Extensions.Logging;

namespace Mirage.LocalEcs;

internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Local task {TaskArn} ({TaskDefinition}) created")]
    public static partial void TaskCreated(ILogger logger, string taskArn, string taskDefinition);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Local task {TaskArn} container {Container} started as {Identity}")]
    public static partial void ContainerStarted(ILogger logger, string taskArn, string container, string identity);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Local task {TaskArn} is RUNNING")]
    public static partial void TaskRunning(ILogger logger, string taskArn);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Local task {TaskArn} container {Container} exited with code {ExitCode}")]
    public static partial void ContainerExited(ILogger logger, string taskArn, string container, int? exitCode);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Local task {TaskArn} is stopping: {Reason} ({StopCode})")]
    public static partial void TaskStopping(ILogger logger, string taskArn, string reason, string stopCode);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Local task {TaskArn} is STOPPED")]
    public static partial void TaskStopped(ILogger logger, string taskArn);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Local task {TaskArn} container {Container} did not stop within its grace period; sending SIGKILL")]
    public static partial void ContainerKilled(ILogger logger, string taskArn, string container);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Local task {TaskArn} container {Container} ({Identity}) re-attached after a Mirage restart")]
    public static partial void ContainerAdopted(ILogger logger, string taskArn, string container, string identity);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "LocalEcs journal: {Problem}")]
    public static partial void JournalProblem(ILogger logger, string problem);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "Local task {TaskArn} failed")]
    public static partial void TaskLoopFailed(ILogger logger, Exception exception, string taskArn);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Task definition file problem: {Problem}")]
    public static partial void TaskDefinitionProblem(ILogger logger, string problem);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "LocalEcs endpoints listen on {Address}")]
    public static partial void EndpointsListening(ILogger logger, Uri address);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Credentials for {Caller} could not be obtained: {Error}")]
    public static partial void CredentialsFailed(ILogger logger, string caller, string error);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Local task {TaskArn} forgotten (stopped more than the retention ago)")]
    public static partial void TaskForgotten(ILogger logger, string taskArn);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Information, Message = "LocalEcs runs tasks with the {Runtime} runtime (local.runtime {Configured}, engine {DockerHost})")]
    public static partial void RuntimeChosen(ILogger logger, string runtime, string configured, string dockerHost);
}
