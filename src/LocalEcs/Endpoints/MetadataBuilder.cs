using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Mirage.LocalEcs.Processes;
using Mirage.LocalEcs.TaskDefinitions;
using Mirage.LocalEcs.Tasks;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Endpoints;

/// <summary>
/// Turns a local task into ECS metadata. Real: names, statuses, exit codes, ports, timestamps (process start time
/// read from /proc), limits and labels from the task definition, the pid (label <c>com.mirage.local.pid</c>).
/// Made up but stable: DockerId, DockerName, ImageID and ContainerARN (hashes of the task ARN and container name);
/// the network is always host mode on 127.0.0.1.
/// </summary>
public sealed class MetadataBuilder(IOptions<LocalEcsOptions> options)
{
    public const string PidLabel = "com.mirage.local.pid";

    private readonly LocalEcsOptions _options = options.Value;

    public TaskMetadata Task(LocalTaskSnapshot task, MetadataVersion version, bool withTags) => new()
    {
        Cluster = _options.Cluster,
        TaskARN = task.Arn,
        Family = task.Definition.Family,
        Revision = task.Definition.Revision.ToString(CultureInfo.InvariantCulture),
        DesiredStatus = task.DesiredStatus,
        KnownStatus = task.LastStatus,
        Limits = task.Definition.Cpu is null && task.Definition.Memory is null
            ? null
            : new LimitsMetadata { CPU = task.Definition.Cpu / 1024.0, Memory = task.Definition.Memory },
        PullStartedAt = Rfc3339.Format(task.PullStartedAt),
        PullStoppedAt = Rfc3339.Format(task.PullStoppedAt),
        ExecutionStoppedAt = Rfc3339.Format(task.ExecutionStoppedAt),
        TaskTags = withTags ? task.Tags.GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.Last().Value) : null,
        ContainerInstanceTags = withTags ? new Dictionary<string, string>() : null,
        Containers = [.. task.Containers.Select(c => Container(task, c.Name, version))],
        FaultInjectionEnabled = version == MetadataVersion.V4 ? false : null,
        // The agent's v4 fields: the task runs on a host Mirage manages (EC2's launch type), in one made-up zone.
        LaunchType = version == MetadataVersion.V4 ? LocalPlacement.LaunchType : null,
        AvailabilityZone = version == MetadataVersion.V4 ? LocalPlacement.AvailabilityZoneIn(_options.Region) : null,
    };

    public ContainerMetadata Container(LocalTaskSnapshot task, string containerName, MetadataVersion version)
    {
        var container = task.Containers.First(c => c.Name == containerName);
        var definition = task.Definition.Containers.First(c => c.Name == containerName);
        var v4 = version == MetadataVersion.V4;
        var image = definition.Image.Length > 0 ? definition.Image : "local-process";
        var labels = new Dictionary<string, string>(definition.DockerLabels)
        {
            ["com.amazonaws.ecs.cluster"] = _options.Cluster,
            ["com.amazonaws.ecs.container-name"] = container.Name,
            ["com.amazonaws.ecs.task-arn"] = task.Arn,
            ["com.amazonaws.ecs.task-definition-family"] = task.Definition.Family,
            ["com.amazonaws.ecs.task-definition-version"] = task.Definition.Revision.ToString(CultureInfo.InvariantCulture),
        };
        if (container.Pid is { } pid)
        {
            labels[PidLabel] = pid.ToString(CultureInfo.InvariantCulture);
        }
        return new ContainerMetadata
        {
            DockerId = DockerId(task, containerName),
            Name = container.Name,
            DockerName = DockerName(task, containerName),
            Image = image,
            ImageID = container.ImageId is { } imageId ? (imageId.StartsWith("sha256:", StringComparison.Ordinal) ? imageId : "sha256:" + imageId) : "sha256:" + Hash(image),
            Ports = container.Ports.Count == 0 ? null : [.. container.Ports.Select(p => new PortMetadata(p.ContainerPort, "tcp", p.HostPort, p.Host))],
            Labels = labels,
            DesiredStatus = task.DesiredStatus == EcsTaskStatus.Stopped ? EcsTaskStatus.Stopped : EcsTaskStatus.Running,
            KnownStatus = container.LastStatus,
            ExitCode = container.ExitCode,
            Limits = new LimitsMetadata { CPU = definition.Cpu, Memory = definition.Memory },
            CreatedAt = Rfc3339.Format(task.PullStoppedAt ?? task.CreatedAt),
            StartedAt = Rfc3339.Format(ProcessStartTime(container) ?? container.StartedAt),
            FinishedAt = Rfc3339.Format(container.FinishedAt),
            Type = "NORMAL",
            LogDriver = v4 ? definition.LogConfiguration?.LogDriver : null,
            LogOptions = v4 ? definition.LogConfiguration?.Options : null,
            ContainerARN = v4 ? $"arn:aws:ecs:{_options.Region}:{_options.AccountId}:container/{_options.Cluster}/{task.TaskId}/{ContainerUuid(task, containerName)}" : null,
            Networks = container.ContainerId is null
                ? [new NetworkMetadata("host", [LocalTask.Loopback])]
                : [new NetworkMetadata("awsvpc", container.IpAddress is { } ip ? [ip] : [])],
        };
    }

    /// <summary>The engine's container id (docker runtime), else a stable hash of the task ARN and container name.</summary>
    public static string DockerId(LocalTaskSnapshot task, string containerName) =>
        task.Containers.FirstOrDefault(c => c.Name == containerName)?.ContainerId ?? Hash(task.Arn + "/" + containerName);

    public static string DockerName(LocalTaskSnapshot task, string containerName) =>
        $"ecs-{task.Definition.Family}-{task.Definition.Revision}-{containerName}-{task.TaskId[..20]}";

    /// <summary>When the process really started (boot time plus its start ticks), while it runs.</summary>
    private static DateTimeOffset? ProcessStartTime(LocalContainerSnapshot container)
    {
        if (container.Pid is not { } pid || container.StartTicks is not { } ticks || !ProcFs.IsAlive(pid, ticks))
        {
            return null;
        }
        var boot = ProcFs.BootTimeUnixSeconds();
        return boot == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(boot).AddSeconds(ticks / (double)Posix.ClockTicksPerSecond());
    }

    private static string ContainerUuid(LocalTaskSnapshot task, string containerName)
    {
        var hex = Hash("container:" + task.Arn + "/" + containerName);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
