using System.Text.Json;
using Mirage.LocalEcs.Endpoints;
using static Mirage.LocalEcs.Docker.EngineJson;

namespace Mirage.LocalEcs.Docker;

/// <summary>Turns the engine's stats JSON into the metadata endpoint's stats shape (v3 drops name, id and networks, as the agent's types.Stats does).</summary>
internal static class DockerStatsConverter
{
    public static ContainerStats Convert(JsonElement stats, string dockerId, string dockerName, MetadataVersion version, string read, (string Read, CpuStats Cpu)? previous)
    {
        var cpu = Cpu(stats, "cpu_stats");
        var memory = Object(stats, "memory_stats");
        var networks = new Dictionary<string, NetworkStats>(StringComparer.Ordinal);
        if (stats.TryGetProperty("networks", out var nets) && nets.ValueKind == JsonValueKind.Object)
        {
            foreach (var net in nets.EnumerateObject())
            {
                networks[net.Name] = new NetworkStats(
                    Long(net.Value, "rx_bytes"), Long(net.Value, "rx_packets"), Long(net.Value, "rx_errors"), Long(net.Value, "rx_dropped"),
                    Long(net.Value, "tx_bytes"), Long(net.Value, "tx_packets"), Long(net.Value, "tx_errors"), Long(net.Value, "tx_dropped"));
            }
        }
        var v4 = version == MetadataVersion.V4;
        return new ContainerStats
        {
            Read = read,
            Preread = previous?.Read ?? "0001-01-01T00:00:00Z",
            PidsStats = new PidsStats(Long(Object(stats, "pids_stats"), "current")),
            BlkioStats = new BlkioStats(),
            CpuStats = cpu,
            PrecpuStats = previous?.Cpu ?? Cpu(stats, "precpu_stats"),
            MemoryStats = new MemoryStats(
                Long(memory, "usage"),
                Long(memory, "max_usage"),
                memory.ValueKind == JsonValueKind.Object && memory.TryGetProperty("stats", out var detail) && detail.ValueKind == JsonValueKind.Object
                    ? detail.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetInt64())
                    : new Dictionary<string, long>(),
                Long(memory, "limit")),
            Name = v4 ? "/" + dockerName : null,
            Id = v4 ? dockerId : null,
            Networks = v4 ? networks : null,
            NetworkRateStats = v4 ? new NetworkRateStats(0, 0) : null,
        };
    }

    private static CpuStats Cpu(JsonElement stats, string name)
    {
        var cpu = Object(stats, name);
        var usage = Object(cpu, "cpu_usage");
        return new CpuStats
        {
            CpuUsage = new CpuUsage(Long(usage, "total_usage"), Long(usage, "usage_in_kernelmode"), Long(usage, "usage_in_usermode")),
            SystemCpuUsage = Long(cpu, "system_cpu_usage"),
            OnlineCpus = (int)Long(cpu, "online_cpus"),
        };
    }
}
