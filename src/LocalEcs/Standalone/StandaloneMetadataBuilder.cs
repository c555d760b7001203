using System.Security.Cryptography;
using System.Text;
using Mirage.LocalEcs.Endpoints;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Standalone;

/// <summary>
/// ECS metadata for containers something else started. Real: ids, names, image, labels, ports, networks, created and
/// started times, limits and log driver (from inspect). From the settings: cluster, task ARN, family, revision, tags.
/// <c>Name</c> is the Compose service (the task definition's container name, in ECS terms), <c>DockerName</c> the
/// engine's name.
/// </summary>
public sealed class StandaloneMetadataBuilder(StandaloneSettings settings)
{
    public const string ComposeServiceLabel = "com.docker.compose.service";

    public TaskMetadata Task(IReadOnlyList<EngineContainer> task, MetadataVersion version, bool withTags) => new()
    {
        Cluster = settings.Cluster,
        TaskARN = TaskArn(task[0]),
        Family = settings.Family ?? task[0].ComposeProject ?? task[0].Name,
        Revision = settings.Revision,
        DesiredStatus = EcsTaskStatus.Running,
        KnownStatus = EcsTaskStatus.Running,
        TaskTags = withTags ? settings.TaskTags : null,
        ContainerInstanceTags = withTags ? new Dictionary<string, string>() : null,
        Containers = [.. task.Select(c => Container(c, version))],
        FaultInjectionEnabled = version == MetadataVersion.V4 ? false : null,
        // The agent's v4 fields: the task runs on a host Mirage manages (EC2's launch type), in one made-up zone.
        LaunchType = version == MetadataVersion.V4 ? LocalPlacement.LaunchType : null,
        AvailabilityZone = version == MetadataVersion.V4 ? LocalPlacement.AvailabilityZoneIn(settings.Region) : null,
    };

    public ContainerMetadata Container(EngineContainer container, MetadataVersion version)
    {
        var v4 = version == MetadataVersion.V4;
        return new ContainerMetadata
        {
            DockerId = container.Id,
            Name = container.Labels.TryGetValue(ComposeServiceLabel, out var service) && service.Length > 0 ? service : container.Name,
            DockerName = container.Name,
            Image = container.Image,
            ImageID = container.ImageId,
            Ports = container.Ports.Count == 0 ? null : [.. container.Ports.Select(p => new PortMetadata(p.ContainerPort, p.Protocol, p.HostPort, p.HostIp ?? ""))],
            Labels = container.Labels.Count == 0 ? null : container.Labels,
            DesiredStatus = EcsTaskStatus.Running,
            KnownStatus = EcsTaskStatus.Running,
            Limits = new LimitsMetadata { CPU = container.CpuUnits, Memory = container.MemoryMiB },
            CreatedAt = Rfc3339.Format(container.CreatedAt),
            StartedAt = Rfc3339.Format(container.StartedAt ?? container.CreatedAt),
            Type = "NORMAL",
            LogDriver = v4 ? container.LogDriver : null,
            LogOptions = v4 ? container.LogOptions : null,
            ContainerARN = v4 ? $"arn:aws:ecs:{settings.Region}:{settings.AccountId}:container/{ClusterName}/{TaskId(container)}/{Uuid(container.Id)}" : null,
            Networks = container.Networks.Count == 0
                ? null
                : [.. container.Networks.OrderBy(n => n.Key, StringComparer.Ordinal)
                    .Select(n => new NetworkMetadata(n.Key, n.Value.IPv4 is { } ip ? [ip] : []))],
        };
    }

    /// <summary>TASK_ARN, else one made up from the Compose project (or the container) so each project is its own task.</summary>
    private string TaskArn(EngineContainer container) =>
        settings.TaskArn ?? $"arn:aws:ecs:{settings.Region}:{settings.AccountId}:task/{ClusterName}/{TaskId(container)}";

    private string TaskId(EngineContainer container) =>
        settings.TaskArn is { } arn ? arn[(arn.LastIndexOf('/') + 1)..] : Hash("task:" + (container.ComposeProject ?? container.Id))[..32];

    /// <summary>CLUSTER_ARN may hold a name or an ARN.</summary>
    private string ClusterName => settings.Cluster[(settings.Cluster.LastIndexOf('/') + 1)..];

    private static string Uuid(string id)
    {
        var hex = Hash("container:" + id);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
