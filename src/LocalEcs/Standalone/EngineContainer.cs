using System.Globalization;
using System.Text.Json;
using static Mirage.LocalEcs.Docker.EngineJson;

namespace Mirage.LocalEcs.Standalone;

/// <summary>
/// A running container as the engine lists it (<c>GET /containers/json</c>), with what its inspect document adds
/// (start time, limits, log driver) once <see cref="WithInspect"/> has been applied.
/// </summary>
public sealed record EngineContainer
{
    public const string ComposeProjectLabel = "com.docker.compose.project";

    public required string Id { get; init; }

    /// <summary>The first name without its leading <c>/</c> (Compose: <c>project-service-1</c>).</summary>
    public required string Name { get; init; }

    public IReadOnlyList<string> Names { get; init; } = [];
    public string Image { get; init; } = "";
    public string ImageId { get; init; } = "";
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<EnginePort> Ports { get; init; } = [];

    /// <summary>Network name to the container's addresses on it.</summary>
    public IReadOnlyDictionary<string, EngineNetworkAddress> Networks { get; init; } = new Dictionary<string, EngineNetworkAddress>();

    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public double? CpuUnits { get; init; }
    public long? MemoryMiB { get; init; }
    public string? LogDriver { get; init; }
    public IReadOnlyDictionary<string, string>? LogOptions { get; init; }

    public string? ComposeProject => Labels.TryGetValue(ComposeProjectLabel, out var project) && project.Length > 0 ? project : null;

    public static EngineContainer FromList(JsonElement item)
    {
        var names = Strings(item, "Names").Select(n => n.TrimStart('/')).ToList();
        var id = String(item, "Id") ?? "";
        return new EngineContainer
        {
            Id = id,
            Name = names.FirstOrDefault() ?? (id.Length > 12 ? id[..12] : id),
            Names = names,
            Image = String(item, "Image") ?? "",
            ImageId = String(item, "ImageID") ?? "",
            Labels = StringMap(item, "Labels"),
            Ports = [.. Array(item, "Ports").Select(p => new EnginePort(
                Int(p, "PrivatePort"), String(p, "Type") ?? "tcp", Int(p, "PublicPort"), String(p, "IP")))],
            Networks = Object(Object(item, "NetworkSettings"), "Networks") is { ValueKind: JsonValueKind.Object } networks
                ? networks.EnumerateObject().ToDictionary(
                    n => n.Name,
                    n => new EngineNetworkAddress(NonEmpty(String(n.Value, "IPAddress")), NonEmpty(String(n.Value, "GlobalIPv6Address"))),
                    StringComparer.Ordinal)
                : new Dictionary<string, EngineNetworkAddress>(StringComparer.Ordinal),
            CreatedAt = item.TryGetProperty("Created", out var created) && created.TryGetInt64(out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null,
        };
    }

    /// <summary>Adds what only <c>GET /containers/{id}/json</c> knows.</summary>
    public EngineContainer WithInspect(JsonElement inspect)
    {
        var state = Object(inspect, "State");
        var host = Object(inspect, "HostConfig");
        var log = Object(host, "LogConfig");
        var memory = Long(host, "Memory");
        var shares = Long(host, "CpuShares");
        return this with
        {
            StartedAt = DateTimeOffset.TryParse(String(state, "StartedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var started)
                && started.Year > 1 ? started.ToUniversalTime() : StartedAt,
            MemoryMiB = memory > 0 ? memory / (1024 * 1024) : null,
            CpuUnits = shares > 0 ? shares : null,
            LogDriver = NonEmpty(String(log, "Type")),
            LogOptions = Object(log, "Config") is { ValueKind: JsonValueKind.Object } ? StringMap(log, "Config") : null,
        };
    }

    /// <summary>True when <paramref name="address"/> is one of the container's addresses (optionally only on <paramref name="networks"/>).</summary>
    public bool HasAddress(string address, IReadOnlySet<string>? networks = null) =>
        Networks.Any(n => (networks is null || networks.Contains(n.Key)) && (n.Value.IPv4 == address || n.Value.IPv6 == address));

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

public sealed record EnginePort(int ContainerPort, string Protocol, int HostPort, string? HostIp);

public sealed record EngineNetworkAddress(string? IPv4, string? IPv6);
