using System.Globalization;
using Docker.DotNet.Models;

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

    public static EngineContainer FromList(ContainerListResponse item)
    {
        var names = (item.Names ?? []).Select(n => n.TrimStart('/')).ToList();
        var id = item.ID ?? "";
        return new EngineContainer
        {
            Id = id,
            Name = names.FirstOrDefault() ?? (id.Length > 12 ? id[..12] : id),
            Names = names,
            Image = item.Image ?? "",
            ImageId = item.ImageID ?? "",
            Labels = new Dictionary<string, string>(item.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            Ports = [.. (item.Ports ?? []).Select(p => new EnginePort(p.PrivatePort, p.Type ?? "tcp", p.PublicPort ?? 0, NonEmpty(p.IP)))],
            Networks = (item.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>()).ToDictionary(
                n => n.Key,
                n => new EngineNetworkAddress(NonEmpty(n.Value.IPAddress), NonEmpty(n.Value.GlobalIPv6Address)),
                StringComparer.Ordinal),
            CreatedAt = item.Created > DateTime.UnixEpoch ? new DateTimeOffset(DateTime.SpecifyKind(item.Created, DateTimeKind.Utc)) : null,
        };
    }

    /// <summary>Adds what only <c>GET /containers/{id}/json</c> knows.</summary>
    public EngineContainer WithInspect(ContainerInspectResponse inspect)
    {
        var host = inspect.HostConfig;
        var log = host?.LogConfig;
        var memory = host?.Memory ?? 0;
        var shares = host?.CPUShares ?? 0;
        return this with
        {
            StartedAt = DateTimeOffset.TryParse(inspect.State?.StartedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var started)
                && started.Year > 1 ? started.ToUniversalTime() : StartedAt,
            MemoryMiB = memory > 0 ? memory / (1024 * 1024) : null,
            CpuUnits = shares > 0 ? shares : null,
            LogDriver = NonEmpty(log?.Type),
            LogOptions = log?.Config is { } config ? new Dictionary<string, string>(config, StringComparer.Ordinal) : null,
        };
    }

    /// <summary>True when <paramref name="address"/> is one of the container's addresses (optionally only on <paramref name="networks"/>).</summary>
    public bool HasAddress(string address, IReadOnlySet<string>? networks = null) =>
        Networks.Any(n => (networks is null || networks.Contains(n.Key)) && (n.Value.IPv4 == address || n.Value.IPv6 == address));

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

public sealed record EnginePort(int ContainerPort, string Protocol, int HostPort, string? HostIp);

public sealed record EngineNetworkAddress(string? IPv4, string? IPv6);
