using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using Version = System.Version;

namespace Mirage.LocalEcs.Docker;

/// <summary>
/// The one Docker Engine API client (Docker, or podman's compatible service), <c>Docker.DotNet.Enhanced</c>'s, with
/// the engines' quirks in one place: what a "gone" or "not running" answer looks like differs between Docker and
/// podman, and callers want null or false for those rather than an exception.
/// </summary>
/// <remarks>
/// The API version is negotiated: the first call reads the engine's own version from <c>/version</c> (served without
/// a version prefix by every engine), and every call then asks on <c>/v{that}/</c> (podman 4.3: 1.41; Docker 29: its
/// current one, at least 1.44). Docker deprecates calls without the prefix, and a fixed version would be refused by
/// an engine that dropped it. Nothing is sent until the first call, so building the client never blocks or fails on
/// an absent engine.
/// </remarks>
public sealed class DockerEngineClient : IDisposable
{
    private readonly Uri _endpoint;
    private readonly DockerClient _unversioned;
    private readonly SemaphoreSlim _negotiation = new(1, 1);
    private DockerClient? _versioned;

    public DockerEngineClient(string dockerHost)
    {
        if (!dockerHost.StartsWith("unix://", StringComparison.Ordinal) && !dockerHost.StartsWith("tcp://", StringComparison.Ordinal)
            && !dockerHost.StartsWith("http://", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Docker host '{dockerHost}' must be unix:///path/to/socket or tcp://host:port", nameof(dockerHost));
        }
        Host = dockerHost;
        _endpoint = new Uri(dockerHost);
        _unversioned = Build(apiVersion: null);
    }

    /// <summary>The default engine address: <c>DOCKER_HOST</c>, else the default Docker socket.</summary>
    public static string DefaultHost() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock";

    public string Host { get; }

    /// <summary>True when an engine answers <c>/_ping</c> within the timeout, as <paramref name="time"/> measures it.</summary>
    public async Task<bool> PingAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await _unversioned.System.PingAsync(limit.Token);
            return true;
        }
        catch (Exception ex) when (ex is DockerApiException or HttpRequestException or SocketException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>The API version every call uses: the engine's own, read from <c>/version</c> once it first answers.</summary>
    public async Task<Version> ApiVersionAsync(CancellationToken cancellationToken) =>
        (await ClientAsync(cancellationToken)).Options.ApiVersion!;

    public Task<NetworkResponse?> InspectNetworkAsync(string name, CancellationToken cancellationToken) =>
        OrNullWhenGone(client => client.Networks.InspectNetworkAsync(name, cancellationToken), $"inspect network {name}", cancellationToken);

    public async Task CreateNetworkAsync(string name, string subnet, string gateway, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        try
        {
            await client.Networks.CreateNetworkAsync(new NetworksCreateParameters
            {
                Name = name,
                IPAM = new IPAM { Config = [new IPAMConfig { Subnet = subnet, Gateway = gateway }] },
            }, cancellationToken);
        }
        catch (DockerApiException ex)
        {
            // Created by someone else meanwhile: Docker answers 409, podman 500 "network already exists".
            if (await InspectNetworkAsync(name, cancellationToken) is not null)
            {
                return;
            }
            throw Failed(ex, $"create network {name} ({subnet}, gateway {gateway})");
        }
    }

    /// <summary>The image's inspect document, or null when the engine does not have it locally.</summary>
    public Task<ImageInspectResponse?> InspectImageAsync(string image, CancellationToken cancellationToken) =>
        OrNullWhenGone(client => client.Images.InspectImageAsync(image, cancellationToken), $"inspect image {image}", cancellationToken);

    public async Task<string> CreateContainerAsync(CreateContainerParameters parameters, CancellationToken cancellationToken)
    {
        var created = await Translated(client => client.Containers.CreateContainerAsync(parameters, cancellationToken), $"create container {parameters.Name}", cancellationToken);
        return created.ID is { Length: > 0 } id ? id : throw new DockerEngineException($"create container {parameters.Name}: the engine returned no id", 0);
    }

    /// <summary>Starts the container; one already running (304) counts as started.</summary>
    public Task StartContainerAsync(string id, CancellationToken cancellationToken) =>
        Translated(client => client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken), $"start container {Short(id)}", cancellationToken);

    /// <summary>The container's inspect document, or null when it does not exist (any more).</summary>
    public async Task<ContainerInspectResponse?> InspectContainerAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await OrNullWhenGone(client => client.Containers.InspectContainerAsync(id, cancellationToken), $"inspect container {Short(id)}", cancellationToken);
        }
        catch (DockerEngineException e) when (e.Message.Contains("no such container", StringComparison.OrdinalIgnoreCase))
        {
            // podman answers 500 "… does not exist in database: no such container" while a removal is under way.
            return null;
        }
    }

    /// <summary>Waits until the container is no longer running; its exit code.</summary>
    public async Task<int> WaitContainerAsync(string id, CancellationToken cancellationToken)
    {
        var result = await Translated(client => client.Containers.WaitContainerAsync(id, cancellationToken), $"wait for container {Short(id)}", cancellationToken);
        return (int)result.StatusCode;
    }

    /// <summary>Sends a signal; false when the container is not running (any more).</summary>
    public async Task<bool> KillContainerAsync(string id, string signal, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        try
        {
            await client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = signal }, cancellationToken);
            return true;
        }
        catch (DockerApiException ex) when (ex.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (DockerApiException ex)
        {
            throw Failed(ex, $"signal container {Short(id)}");
        }
    }

    public async Task RemoveContainerAsync(string id, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        try
        {
            await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Gone already.
        }
        catch (DockerApiException ex)
        {
            throw Failed(ex, $"remove container {Short(id)}");
        }
    }

    /// <summary>
    /// The container's output as the engine streams it. podman sends the response headers only with the first
    /// output, so callers must not await this inline on a path that needs to go on.
    /// </summary>
    public Task<MultiplexedStream> FollowLogsAsync(string id, long sinceUnixSeconds, CancellationToken cancellationToken) =>
        Translated(client => client.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters
        {
            Follow = true,
            ShowStdout = true,
            ShowStderr = true,
            Since = sinceUnixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, cancellationToken), $"follow logs of container {Short(id)}", cancellationToken);

    /// <summary>One stats sample (<c>stream=false</c>), or null when the container is gone or not running.</summary>
    public async Task<ContainerStatsResponse?> StatsAsync(string id, CancellationToken cancellationToken)
    {
        ContainerStatsResponse? sample = null;
        var client = await ClientAsync(cancellationToken);
        try
        {
            await client.Containers.GetContainerStatsAsync(id, new ContainerStatsParameters { Stream = false },
                new LastSample(s => sample = s), cancellationToken);
            return sample;
        }
        catch (DockerApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return null;
        }
        catch (DockerApiException ex)
        {
            throw Failed(ex, $"read stats of container {Short(id)}");
        }
    }

    /// <summary>Running containers (the <c>docker ps</c> list).</summary>
    public async Task<IReadOnlyList<ContainerListResponse>> ListContainersAsync(CancellationToken cancellationToken) =>
        [.. await Translated(client => client.Containers.ListContainersAsync(new ContainersListParameters(), cancellationToken), "list containers", cancellationToken)];

    public void Dispose()
    {
        _versioned?.Dispose();
        _unversioned.Dispose();
        _negotiation.Dispose();
    }

    private DockerClient Build(Version? apiVersion) =>
        new DockerClientBuilder().WithEndpoint(_endpoint).WithApiVersion(apiVersion).WithTimeout(Timeout.InfiniteTimeSpan).Build();

    /// <summary>The versioned client, built when the engine first tells its version; a failed attempt is retried by the next call.</summary>
    private async Task<DockerClient> ClientAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _versioned) is { } known)
        {
            return known;
        }
        await _negotiation.WaitAsync(cancellationToken);
        try
        {
            if (_versioned is null)
            {
                VersionResponse version;
                try
                {
                    version = await _unversioned.System.GetVersionAsync(cancellationToken);
                }
                catch (DockerApiException ex)
                {
                    throw Failed(ex, "read the engine's API version");
                }
                if (!Version.TryParse(version.APIVersion, out var api))
                {
                    throw new DockerEngineException($"could not read the engine's API version: /version answered ApiVersion '{version.APIVersion}'", 0);
                }
                Volatile.Write(ref _versioned, Build(api));
            }
            return _versioned!;
        }
        finally
        {
            _negotiation.Release();
        }
    }

    private async Task<T?> OrNullWhenGone<T>(Func<DockerClient, Task<T>> call, string what, CancellationToken cancellationToken)
        where T : class
    {
        var client = await ClientAsync(cancellationToken);
        try
        {
            return await call(client);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (DockerApiException ex)
        {
            throw Failed(ex, what);
        }
    }

    private async Task<T> Translated<T>(Func<DockerClient, Task<T>> call, string what, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        try
        {
            return await call(client);
        }
        catch (DockerApiException ex)
        {
            throw Failed(ex, what);
        }
    }

    private static DockerEngineException Failed(DockerApiException ex, string what) =>
        new($"could not {what}: {(int)ex.StatusCode} {EngineMessage(ex.ResponseBody)}", (int)ex.StatusCode);

    private static string EngineMessage(string? body)
    {
        var text = body ?? "";
        try
        {
            using var error = System.Text.Json.JsonDocument.Parse(text);
            if (error.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && error.RootElement.TryGetProperty("message", out var m))
            {
                return (m.GetString() ?? text).Trim();
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: keep the text as it is.
        }
        return text.Trim();
    }

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;

    /// <summary>Takes the sample synchronously (<see cref="Progress{T}"/> would post it to the thread pool, after the call returned).</summary>
    private sealed class LastSample(Action<ContainerStatsResponse> report) : IProgress<ContainerStatsResponse>
    {
        public void Report(ContainerStatsResponse value) => report(value);
    }
}
