using Mirage.LocalEcs.Logs;
using Mirage.LocalEcs.TaskDefinitions;
using Mirage.LocalEcs.Tasks;

namespace Mirage.LocalEcs.Runtimes;

/// <summary>
/// How the containers of a local task run: as local processes (<see cref="ProcessRuntime"/>) or as containers of a
/// Docker-API engine (<see cref="DockerRuntime"/>). <see cref="LocalTask"/> drives the ECS lifecycle; the runtime
/// starts, signals, watches and re-attaches the containers.
/// </summary>
internal interface IContainerRuntime
{
    /// <summary><c>process</c> or <c>docker</c>.</summary>
    string Name { get; }

    /// <summary>True when a container sees its own container ports (a network namespace of its own), not the host ports.</summary>
    bool ContainersSeeContainerPorts { get; }

    /// <summary>The order the containers start in (the first one may own the task's network namespace).</summary>
    IReadOnlyList<LocalContainerDefinition> StartOrder(LocalTaskDefinition definition);

    /// <summary>The base address of the metadata and credentials endpoints as the containers reach it.</summary>
    Uri EndpointForContainers(Uri endpoint);

    /// <summary>Starts one container; a <see cref="ContainerStartException"/> carries the ECS-style reason when it cannot.</summary>
    Task<IContainerHandle> StartAsync(ContainerStart start, CancellationToken cancellationToken);

    /// <summary>Finds a journaled container again after a Mirage restart.</summary>
    Task<AdoptedContainer> AdoptAsync(LocalTaskSnapshot task, LocalContainerSnapshot container, LogBuffer logs, CancellationToken cancellationToken);

    /// <summary>Releases what the task left behind once it is STOPPED (e.g. the engine's stopped containers).</summary>
    Task ReleaseAsync(LocalTaskSnapshot task, CancellationToken cancellationToken);
}
