using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mirage.LocalEcs.Docker;

/// <summary>
/// A small typed client for the Docker Engine API (Docker, or podman's compatible service) over its unix socket or
/// plain TCP. The API version is the one the engine reports at <c>/version</c>, so a new engine that dropped old
/// versions still answers.
/// </summary>
public sealed class DockerEngineClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _versionGate = new(1, 1);
    private string? _versionPrefix;

    public DockerEngineClient(string dockerHost)
    {
        Host = dockerHost;
        if (dockerHost.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = dockerHost["unix://".Length..];
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            _http = new HttpClient(handler) { BaseAddress = new Uri("http://docker/"), Timeout = Timeout.InfiniteTimeSpan };
        }
        else if (dockerHost.StartsWith("tcp://", StringComparison.Ordinal) || dockerHost.StartsWith("http://", StringComparison.Ordinal))
        {
            var authority = dockerHost[(dockerHost.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
            _http = new HttpClient { BaseAddress = new Uri($"http://{authority}/"), Timeout = Timeout.InfiniteTimeSpan };
        }
        else
        {
            throw new ArgumentException($"Docker host '{dockerHost}' must be unix:///path/to/socket or tcp://host:port", nameof(dockerHost));
        }
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
            using var response = await _http.GetAsync(new Uri("_ping", UriKind.Relative), limit.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>The engine's API version (e.g. 1.41), read once from <c>/version</c>.</summary>
    public async Task<string> ApiVersionAsync(CancellationToken cancellationToken)
    {
        if (_versionPrefix is { } known)
        {
            return known[1..^1];
        }
        await _versionGate.WaitAsync(cancellationToken);
        try
        {
            if (_versionPrefix is null)
            {
                using var response = await _http.GetAsync(new Uri("version", UriKind.Relative), cancellationToken);
                await EnsureSuccessAsync(response, "read the engine version", cancellationToken);
                var version = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                var api = version.TryGetProperty("ApiVersion", out var value) && value.GetString() is { Length: > 0 } text ? text : "1.41";
                _versionPrefix = $"v{api}/";
            }
            return _versionPrefix[1..^1];
        }
        finally
        {
            _versionGate.Release();
        }
    }

    public async Task<JsonElement?> InspectNetworkAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"networks/{Uri.EscapeDataString(name)}", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureSuccessAsync(response, $"inspect network {name}", cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    public async Task CreateNetworkAsync(string name, string subnet, string gateway, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["Name"] = name,
            ["CheckDuplicate"] = true,
            ["IPAM"] = new JsonObject { ["Config"] = new JsonArray(new JsonObject { ["Subnet"] = subnet, ["Gateway"] = gateway }) },
        };
        using var response = await SendAsync(HttpMethod.Post, "networks/create", body, cancellationToken);
        // Created by someone else meanwhile: Docker answers 409, podman 500 "network already exists".
        if (!response.IsSuccessStatusCode && await InspectNetworkAsync(name, cancellationToken) is not null)
        {
            return;
        }
        await EnsureSuccessAsync(response, $"create network {name} ({subnet}, gateway {gateway})", cancellationToken);
    }

    /// <summary>The image's inspect document, or null when the engine does not have it locally.</summary>
    public async Task<JsonElement?> InspectImageAsync(string image, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"images/{Uri.EscapeDataString(image)}/json", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureSuccessAsync(response, $"inspect image {image}", cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    public async Task<string> CreateContainerAsync(string name, JsonObject body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"containers/create?name={Uri.EscapeDataString(name)}", body, cancellationToken);
        await EnsureSuccessAsync(response, $"create container {name}", cancellationToken);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return created.GetProperty("Id").GetString() ?? throw new DockerEngineException($"create container {name}: the engine returned no id", 0);
    }

    public async Task StartContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"containers/{id}/start", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return;
        }
        await EnsureSuccessAsync(response, $"start container {Short(id)}", cancellationToken);
    }

    /// <summary>The container's inspect document, or null when it does not exist (any more).</summary>
    public async Task<JsonElement?> InspectContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"containers/{Uri.EscapeDataString(id)}/json", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        try
        {
            await EnsureSuccessAsync(response, $"inspect container {Short(id)}", cancellationToken);
        }
        catch (DockerEngineException e) when (e.Message.Contains("no such container", StringComparison.OrdinalIgnoreCase))
        {
            // podman answers 500 "… does not exist in database: no such container" while a removal is under way.
            return null;
        }
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    /// <summary>Waits until the container is no longer running; its exit code.</summary>
    public async Task<int> WaitContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"containers/{id}/wait", null, cancellationToken);
        await EnsureSuccessAsync(response, $"wait for container {Short(id)}", cancellationToken);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return result.GetProperty("StatusCode").GetInt32();
    }

    /// <summary>Sends a signal; false when the container is not running (any more).</summary>
    public async Task<bool> KillContainerAsync(string id, string signal, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"containers/{id}/kill?signal={signal}", null, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return false;
        }
        await EnsureSuccessAsync(response, $"signal container {Short(id)}", cancellationToken);
        return true;
    }

    public async Task RemoveContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"containers/{id}?force=true&v=true", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }
        await EnsureSuccessAsync(response, $"remove container {Short(id)}", cancellationToken);
    }

    /// <summary>The container's output as the engine streams it (multiplexed frames unless it has a TTY).</summary>
    public async Task<Stream> FollowLogsAsync(string id, long sinceUnixSeconds, CancellationToken cancellationToken)
    {
        var version = await ApiVersionAsync(cancellationToken);
        var request = new HttpRequestMessage(HttpMethod.Get, $"v{version}/containers/{id}/logs?follow=true&stdout=true&stderr=true&since={sinceUnixSeconds.ToString(CultureInfo.InvariantCulture)}");
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, $"follow logs of container {Short(id)}", cancellationToken);
        return await response.Content.ReadAsStreamAsync(cancellationToken);
    }

    /// <summary>One stats sample (<c>stream=false</c>) in Docker's JSON shape.</summary>
    public async Task<JsonElement?> StatsAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"containers/{id}/stats?stream=false", null, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return null;
        }
        await EnsureSuccessAsync(response, $"read stats of container {Short(id)}", cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    /// <summary>Running containers (the <c>docker ps</c> list).</summary>
    public async Task<IReadOnlyList<JsonElement>> ListContainersAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "containers/json", null, cancellationToken);
        await EnsureSuccessAsync(response, "list containers", cancellationToken);
        var list = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return [.. list.EnumerateArray()];
    }

    public void Dispose()
    {
        _http.Dispose();
        _versionGate.Dispose();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        var version = await ApiVersionAsync(cancellationToken);
        using var request = new HttpRequestMessage(method, $"v{version}/{path}");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await _http.SendAsync(request, cancellationToken);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var message = text;
        try
        {
            using var error = JsonDocument.Parse(text);
            if (error.RootElement.ValueKind == JsonValueKind.Object && error.RootElement.TryGetProperty("message", out var m))
            {
                message = m.GetString() ?? text;
            }
        }
        catch (JsonException)
        {
            // Not JSON: keep the text as it is.
        }
        throw new DockerEngineException($"could not {what}: {(int)response.StatusCode} {message.Trim()}", (int)response.StatusCode);
    }

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;
}
