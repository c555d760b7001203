namespace Mirage.LocalEcs.Tasks.Lifecycle;

/// <summary>What moves a local task from one ECS status to the next.</summary>
internal enum TaskTrigger
{
    /// <summary>Its first container is about to start (or a live one was re-attached after a restart).</summary>
    ContainersStarting,

    /// <summary>Every running container's ports accept connections.</summary>
    PortsReady,

    /// <summary>A user, an essential exit or a failure asked it to stop.</summary>
    StopRequested,

    /// <summary>Its processes were sent SIGTERM.</summary>
    ContainersSignalled,

    /// <summary>Every process has exited and been reaped.</summary>
    ContainersExited,
}
