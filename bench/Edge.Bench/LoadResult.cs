namespace Mirage.Edge.Bench;

/// <summary>One load run: what the load generator saw (requests, throughput, latency, errors) and the target's cost.</summary>
public sealed record LoadResult(long Requests, double RequestsPerSecond, double P50Ms, double P99Ms, long Errors)
{
    /// <summary>The target's CPU (its process tree, user+sys) per request, in µs; NaN for the direct baseline.</summary>
    public double CpuMicrosecondsPerRequest { get; init; } = double.NaN;

    /// <summary>Bytes the target allocated per request over the run (<c>--telemetry</c> only); NaN when not read.</summary>
    public double AllocatedBytesPerRequest { get; init; } = double.NaN;

    /// <summary>The target's resident memory after the run, in MB; NaN for the direct baseline.</summary>
    public double RssMegabytes { get; init; } = double.NaN;
}
