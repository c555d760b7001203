using System.Globalization;
using Docker.DotNet.Models;
using Mirage.LocalEcs.Docker;
using Mirage.LocalEcs.Logs;
using Mirage.LocalEcs.TaskDefinitions;
using Mirage.LocalEcs.Tasks;

namespace Mirage.LocalEcs.Runtimes;

/// <summary>
/// Runs each container of a task as a container of a Docker-API engine (Docker, or podman's service). The containers
/// of one task share one network namespace, as awsvpc tasks do: the first essential container joins the LocalEcs
/// network and owns the namespace (every port mapping of the task is published on it, on 127.0.0.1 with a free
/// host port); the others join it with <c>NetworkMode: container:&lt;owner&gt;</c> and reach each other on localhost.
/// The LocalEcs network's gateway is the host's address on it; the endpoints listen there too, so containers reach
/// them at <see cref="LocalEcsOptions.ContainerEndpointAddress"/> (169.254.170.2 by default, as in ECS).
/// Images are used as the engine has them: nothing is pulled.
/// </summary>
internal sealed class DockerRuntime(LocalEcsOptions options, DockerEngineClient engine, TimeProvider time) : IContainerRuntime
{
    public const string RuntimeName = "docker";
    public const string TaskIdLabel = "com.mirage.local.task-id";

    private readonly SemaphoreSlim _networkGate = new(1, 1);
    private bool _networkReady;

    public string Name => RuntimeName;

    public bool ContainersSeeContainerPorts => true;

    public IReadOnlyList<LocalContainerDefinition> StartOrder(LocalTaskDefinition definition) =>
        [.. definition.Containers.Where(c => c.Essential).Take(1), .. definition.Containers.Where(c => c != definition.Containers.First(e => e.Essential))];

    public Uri EndpointForContainers(Uri endpoint) =>
        new UriBuilder(endpoint) { Host = options.ContainerEndpointAddress }.Uri;

    public async Task<IContainerHandle> StartAsync(ContainerStart start, CancellationToken cancellationToken)
    {
        var definition = start.Definition;
        var task = start.Task;
        if (string.IsNullOrWhiteSpace(definition.Image))
        {
            throw new ContainerStartException($"CannotPullContainerError: container {definition.Name} has no image; the docker runtime runs images (set \"image\", or use local.runtime: process)");
        }
        try
        {
            await EnsureNetworkAsync(cancellationToken);
            if (await engine.InspectImageAsync(definition.Image, cancellationToken) is null)
            {
                throw new ContainerStartException($"CannotPullContainerError: image '{definition.Image}' of container {definition.Name} is not present in the container engine; LocalEcs pulls nothing, so pull, build or import it first");
            }
            var owner = StartOrder(task.Definition)[0];
            var id = await engine.CreateContainerAsync(CreateParameters(start, owner), cancellationToken);
            start.Created(id);
            try
            {
                await engine.StartContainerAsync(id, cancellationToken);
            }
            catch (DockerEngineException ex)
            {
                await engine.RemoveContainerAsync(id, CancellationToken.None);
                throw new ContainerStartException($"CannotStartContainerError: container {definition.Name}: {ex.Message}");
            }
            var inspect = await engine.InspectContainerAsync(id, cancellationToken);
            var ip = inspect is { } found ? IpAddressOf(found) : null;
            var imageId = inspect?.Image;
            if (ip is null && definition != owner)
            {
                ip = task.Containers.First(c => c.Name == owner.Name).IpAddress;
            }
            return new DockerContainerHandle(engine, id, ip, imageId, definition.Name, start.Logs, time, 0);
        }
        catch (DockerEngineException ex)
        {
            throw new ContainerStartException($"CannotStartContainerError: container {definition.Name}: {ex.Message}");
        }
        catch (HttpRequestException ex)
        {
            throw new ContainerStartException($"CannotStartContainerError: container {definition.Name}: the container engine at {engine.Host} does not answer ({ex.Message})");
        }
    }

    public async Task<AdoptedContainer> AdoptAsync(LocalTaskSnapshot task, LocalContainerSnapshot container, LogBuffer logs, CancellationToken cancellationToken)
    {
        if (container.ContainerId is not { } id)
        {
            return new AdoptedContainer(container, null, "not started: Mirage stopped while the task was starting", NeverStarted: true);
        }
        ContainerInspectResponse? inspect;
        try
        {
            inspect = await engine.InspectContainerAsync(id, cancellationToken);
        }
        catch (Exception ex) when (ex is DockerEngineException or HttpRequestException)
        {
            return new AdoptedContainer(container, null, $"the container engine does not answer ({ex.Message})");
        }
        if (inspect is not { } found)
        {
            return new AdoptedContainer(container, null, "the container no longer exists in the engine");
        }
        if (found.State is not { Running: true })
        {
            return new AdoptedContainer(container, null, "the container exited while Mirage was not running", (int)(found.State?.ExitCode ?? 0));
        }
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return new AdoptedContainer(container, new DockerContainerHandle(engine, id, container.IpAddress, container.ImageId, container.Name, logs, time, now), null);
    }

    public async Task ReleaseAsync(LocalTaskSnapshot task, CancellationToken cancellationToken)
    {
        // The namespace owner goes last: the others are joined to it.
        foreach (var container in task.Containers.Where(c => c.ContainerId is not null).OrderBy(c => c.Name == StartOrder(task.Definition)[0].Name))
        {
            try
            {
                await engine.RemoveContainerAsync(container.ContainerId!, cancellationToken);
            }
            catch (Exception ex) when (ex is DockerEngineException or HttpRequestException)
            {
                // Left for the engine's own cleanup; the task is stopped either way.
            }
        }
    }

    private CreateContainerParameters CreateParameters(ContainerStart start, LocalContainerDefinition owner)
    {
        var definition = start.Definition;
        var task = start.Task;
        var labels = new Dictionary<string, string>(definition.DockerLabels, StringComparer.Ordinal)
        {
            ["com.amazonaws.ecs.cluster"] = options.Cluster,
            ["com.amazonaws.ecs.container-name"] = definition.Name,
            ["com.amazonaws.ecs.task-arn"] = task.Arn,
            ["com.amazonaws.ecs.task-definition-family"] = task.Definition.Family,
            ["com.amazonaws.ecs.task-definition-version"] = task.Definition.Revision.ToString(CultureInfo.InvariantCulture),
            [TaskIdLabel] = task.TaskId,
        };
        var hostConfig = new HostConfig();
        var parameters = new CreateContainerParameters
        {
            Name = $"mirage-{task.TaskId[..12]}-{definition.Name}",
            Image = definition.Image,
            Env = [.. start.Environment.Select(e => $"{e.Key}={e.Value}")],
            Labels = labels,
            HostConfig = hostConfig,
        };
        if (start.EntryPointCount > 0)
        {
            parameters.Entrypoint = [.. start.Argv.Take(start.EntryPointCount)];
        }
        if (start.Argv.Count > start.EntryPointCount)
        {
            parameters.Cmd = [.. start.Argv.Skip(start.EntryPointCount)];
        }
        if (definition.WorkingDirectory is { } workingDirectory)
        {
            parameters.WorkingDir = workingDirectory;
        }
        if (definition == owner)
        {
            hostConfig.NetworkMode = options.ContainerNetwork;
            var exposed = new Dictionary<string, EmptyStruct>(StringComparer.Ordinal);
            var bindings = new Dictionary<string, IList<PortBinding>>(StringComparer.Ordinal);
            foreach (var port in task.Ports)
            {
                var key = $"{port.ContainerPort.ToString(CultureInfo.InvariantCulture)}/tcp";
                exposed[key] = default;
                bindings[key] = [new PortBinding { HostIP = port.Host, HostPort = port.HostPort.ToString(CultureInfo.InvariantCulture) }];
            }
            parameters.ExposedPorts = exposed;
            hostConfig.PortBindings = bindings;
        }
        else
        {
            var ownerId = task.Containers.First(c => c.Name == owner.Name).ContainerId
                ?? throw new ContainerStartException($"CannotStartContainerError: container {definition.Name} joins the network namespace of {owner.Name}, which did not start");
            hostConfig.NetworkMode = "container:" + ownerId;
        }
        return parameters;
    }

    private static string? IpAddressOf(ContainerInspectResponse inspect) =>
        inspect.NetworkSettings?.Networks?.Values.Select(n => n.IPAddress).FirstOrDefault(ip => !string.IsNullOrEmpty(ip));

    private async Task EnsureNetworkAsync(CancellationToken cancellationToken)
    {
        if (_networkReady)
        {
            return;
        }
        await _networkGate.WaitAsync(cancellationToken);
        try
        {
            if (!_networkReady)
            {
                if (await engine.InspectNetworkAsync(options.ContainerNetwork, cancellationToken) is null)
                {
                    await engine.CreateNetworkAsync(options.ContainerNetwork, options.ContainerSubnet, options.ContainerEndpointAddress, cancellationToken);
                }
                _networkReady = true;
            }
        }
        finally
        {
            _networkGate.Release();
        }
    }
}
