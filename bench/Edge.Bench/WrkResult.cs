namespace Mirage.Edge.Bench;

/// <summary>One wrk run: throughput and latency percentiles, plus the errors wrk counted.</summary>
public sealed record WrkResult(string Name, double RequestsPerSecond, double P50Ms, double P99Ms, long Errors);
