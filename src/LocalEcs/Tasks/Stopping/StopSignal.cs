namespace Mirage.LocalEcs.Tasks.Stopping;

/// <summary>What a stopping task's container is sent next.</summary>
internal enum StopSignal
{
    None,

    /// <summary>SIGTERM, the first time: ECS's graceful stop.</summary>
    Terminate,

    /// <summary>SIGKILL, once its grace period (the container's stopTimeout) has passed.</summary>
    Kill,
}
