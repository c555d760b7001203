using System.Collections.Concurrent;
using Mirage.LocalEcs.Docker;
using Mirage.LocalEcs.Processes;
using Mirage.LocalEcs.Runtimes;
using Mirage.LocalEcs.Tasks;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Endpoints;

/// <summary>
/// Docker-style stats of a container's processes (the container process and everything in its session), read from
/// /proc: CPU time (user, kernel, total in ns), machine CPU time, online CPUs, resident and peak memory, thread
/// count, bytes read and written. The previous sample of each container becomes <c>precpu_stats</c>.
/// Fixed: throttling (0), network counters (0), num_procs (0, as Docker on Linux).
/// </summary>
/// <remarks>Containers of the docker runtime take their stats from the engine instead.</remarks>
public sealed class StatsSampler(TimeProvider time, DockerEngineClient? engine = null, LocalRuntimeChoice? runtime = null)
{
    private readonly ConcurrentDictionary<string, (string Read, CpuStats Cpu)> _previous = new(StringComparer.Ordinal);

    public async Task<ContainerStats> SampleAsync(LocalTaskSnapshot task, string containerName, MetadataVersion version, CancellationToken cancellationToken)
    {
        var container = task.Containers.First(c => c.Name == containerName);
        // Without a runtime choice (a sampler built for one runtime), having an engine means docker.
        if (engine is not null && (runtime?.IsDocker ?? true) && container.ContainerId is { } id)
        {
            var dockerId = MetadataBuilder.DockerId(task, containerName);
            var read = Rfc3339.Format(time.GetUtcNow());
            var found = await engine.StatsAsync(id, cancellationToken);
            (string, CpuStats)? before = _previous.TryGetValue(dockerId, out var earlier) ? earlier : null;
            var stats = DockerStatsConverter.Convert(found, dockerId, MetadataBuilder.DockerName(task, containerName), version, read, before);
            _previous[dockerId] = (read, stats.CpuStats);
            return stats;
        }
        return Sample(task, containerName, version);
    }

    /// <summary>Stats of every running container of the task, keyed by DockerId (the task stats shape).</summary>
    public async Task<IReadOnlyDictionary<string, ContainerStats>> SampleTaskAsync(LocalTaskSnapshot task, MetadataVersion version, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, ContainerStats>(StringComparer.Ordinal);
        foreach (var container in task.Containers.Where(c => c.LastStatus == EcsTaskStatus.Running))
        {
            result[MetadataBuilder.DockerId(task, container.Name)] = await SampleAsync(task, container.Name, version, cancellationToken);
        }
        return result;
    }

    private ContainerStats Sample(LocalTaskSnapshot task, string containerName, MetadataVersion version)
    {
        var container = task.Containers.First(c => c.Name == containerName);
        var definition = task.Definition.Containers.First(c => c.Name == containerName);
        var dockerId = MetadataBuilder.DockerId(task, containerName);
        var members = container.Pid is { } pid && container.StartTicks is { } ticks && ProcFs.IsAlive(pid, ticks)
            ? ProcFs.SessionMembers(pid)
            : [];
        var nanosPerTick = 1_000_000_000L / Posix.ClockTicksPerSecond();
        var user = members.Sum(m => m.UserTicks) * nanosPerTick;
        var kernel = members.Sum(m => m.SystemTicks) * nanosPerTick;
        var cpu = new CpuStats
        {
            CpuUsage = new CpuUsage(user + kernel, kernel, user),
            SystemCpuUsage = ProcFs.SystemCpuTicks() * nanosPerTick,
            OnlineCpus = Environment.ProcessorCount,
        };
        long resident = 0, peak = 0, read = 0, written = 0;
        foreach (var member in members)
        {
            var memory = ProcFs.ReadMemory(member.Pid);
            resident += memory.Resident;
            peak += memory.Peak;
            var io = ProcFs.ReadIo(member.Pid);
            read += io.Read;
            written += io.Written;
        }
        var limit = definition.Memory is { } mib ? mib * 1024L * 1024L : ProcFs.MemTotalBytes();
        var now = Rfc3339.Format(time.GetUtcNow());
        var previous = _previous.TryGetValue(dockerId, out var sample)
            ? sample
            : ("0001-01-01T00:00:00Z", new CpuStats { CpuUsage = new CpuUsage(0, 0, 0) });
        _previous[dockerId] = (now, cpu);
        var v4 = version == MetadataVersion.V4;
        return new ContainerStats
        {
            Read = now,
            Preread = previous.Item1,
            PidsStats = new PidsStats(members.Sum(m => (long)m.Threads)),
            BlkioStats = new BlkioStats
            {
                IoServiceBytesRecursive = members.Count == 0 ? null : [new BlkioEntry(0, 0, "Read", read), new BlkioEntry(0, 0, "Write", written), new BlkioEntry(0, 0, "Total", read + written)],
            },
            CpuStats = cpu,
            PrecpuStats = previous.Item2,
            MemoryStats = new MemoryStats(resident, peak, new Dictionary<string, long> { ["rss"] = resident }, limit),
            Name = v4 ? "/" + MetadataBuilder.DockerName(task, containerName) : null,
            Id = v4 ? dockerId : null,
            Networks = v4 ? new Dictionary<string, NetworkStats> { ["eth0"] = new(0, 0, 0, 0, 0, 0, 0, 0) } : null,
            NetworkRateStats = v4 ? new NetworkRateStats(0, 0) : null,
        };
    }
}
