using System.Text.Json.Serialization;

namespace Mirage.LocalEcs.Endpoints;

// Docker's stats JSON (serialized snake_case). v3 is Docker's types.Stats (no name, id, networks); v4 adds them
// and network_rate_stats. A local process has no network namespace, so network counters are fixed zeros.

public sealed record ContainerStats
{
    public required string Read { get; init; }
    public required string Preread { get; init; }
    public required PidsStats PidsStats { get; init; }
    public required BlkioStats BlkioStats { get; init; }
    public int NumProcs { get; init; }
    public StorageStats StorageStats { get; init; } = new();
    public required CpuStats CpuStats { get; init; }
    public required CpuStats PrecpuStats { get; init; }
    public required MemoryStats MemoryStats { get; init; }
    public string? Name { get; init; }
    public string? Id { get; init; }
    public IReadOnlyDictionary<string, NetworkStats>? Networks { get; init; }
    public NetworkRateStats? NetworkRateStats { get; init; }
}

public sealed record PidsStats(long Current);

public sealed record BlkioStats
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<BlkioEntry>? IoServiceBytesRecursive { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<BlkioEntry>? IoServicedRecursive { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<BlkioEntry>? IoQueueRecursive { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<BlkioEntry>? IoServiceTimeRecursive { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<BlkioEntry>? IoWaitTimeRecursive { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<BlkioEntry>? IoMergedRecursive { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<BlkioEntry>? IoTimeRecursive { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<BlkioEntry>? SectorsRecursive { get; init; }
}

public sealed record BlkioEntry(long Major, long Minor, string Op, long Value);

public sealed record StorageStats;

public sealed record CpuStats
{
    public required CpuUsage CpuUsage { get; init; }
    public long SystemCpuUsage { get; init; }
    public int OnlineCpus { get; init; }
    public ThrottlingData ThrottlingData { get; init; } = new(0, 0, 0);
}

public sealed record CpuUsage(long TotalUsage, long UsageInKernelmode, long UsageInUsermode);

public sealed record ThrottlingData(long Periods, long ThrottledPeriods, long ThrottledTime);

public sealed record MemoryStats(long Usage, long MaxUsage, IReadOnlyDictionary<string, long> Stats, long Limit);

public sealed record NetworkStats(long RxBytes, long RxPackets, long RxErrors, long RxDropped, long TxBytes, long TxPackets, long TxErrors, long TxDropped);

public sealed record NetworkRateStats(double RxBytesPerSec, double TxBytesPerSec);
