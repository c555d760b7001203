using Mirage.LocalEcs.Endpoints;
using ContainerStatsResponse = Docker.DotNet.Models.ContainerStatsResponse;
using CPUStats = Docker.DotNet.Models.CPUStats;
using EngineNetworkStats = Docker.DotNet.Models.NetworkStats;

namespace Mirage.LocalEcs.Docker;

/// <summary>Turns the engine's stats sample into the metadata endpoint's stats shape (v3 drops name, id and networks, as the agent's types.Stats does).</summary>
internal static class DockerStatsConverter
{
    /// <param name="stats">The engine's sample, or null when it had none (the container is gone or not running): all zero.</param>
    public static ContainerStats Convert(ContainerStatsResponse? stats, string dockerId, string dockerName, MetadataVersion version, string read, (string Read, CpuStats Cpu)? previous)
    {
        var memory = stats?.MemoryStats;
        var networks = (stats?.Networks ?? new Dictionary<string, EngineNetworkStats>()).ToDictionary(
            n => n.Key,
            n => new NetworkStats(
                Signed(n.Value.RxBytes), Signed(n.Value.RxPackets), Signed(n.Value.RxErrors), Signed(n.Value.RxDropped),
                Signed(n.Value.TxBytes), Signed(n.Value.TxPackets), Signed(n.Value.TxErrors), Signed(n.Value.TxDropped)),
            StringComparer.Ordinal);
        var v4 = version == MetadataVersion.V4;
        return new ContainerStats
        {
            Read = read,
            Preread = previous?.Read ?? "0001-01-01T00:00:00Z",
            PidsStats = new PidsStats(Signed(stats?.PidsStats?.Current)),
            BlkioStats = new BlkioStats(),
            CpuStats = Cpu(stats?.CPUStats),
            PrecpuStats = previous?.Cpu ?? Cpu(stats?.PreCPUStats),
            MemoryStats = new MemoryStats(
                Signed(memory?.Usage),
                Signed(memory?.MaxUsage),
                (memory?.Stats ?? new Dictionary<string, ulong>()).ToDictionary(p => p.Key, p => Signed(p.Value)),
                Signed(memory?.Limit)),
            Name = v4 ? "/" + dockerName : null,
            Id = v4 ? dockerId : null,
            Networks = v4 ? networks : null,
            NetworkRateStats = v4 ? new NetworkRateStats(0, 0) : null,
        };
    }

    private static CpuStats Cpu(CPUStats? cpu) => new()
    {
        CpuUsage = new CpuUsage(Signed(cpu?.CPUUsage?.TotalUsage), Signed(cpu?.CPUUsage?.UsageInKernelmode), Signed(cpu?.CPUUsage?.UsageInUsermode)),
        SystemCpuUsage = Signed(cpu?.SystemUsage),
        OnlineCpus = (int)(cpu?.OnlineCPUs ?? 0),
    };

    // The metadata shape is signed (as the agent's JSON numbers are read); a counter past long.MaxValue is not real.
    private static long Signed(ulong? value) => value is { } v && v <= long.MaxValue ? (long)v : 0;
}
