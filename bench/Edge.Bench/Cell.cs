namespace Mirage.Edge.Bench;

/// <summary>
/// One point of the matrix: the body the backend answers (<see cref="Path"/>), keep-alive or a new connection per
/// request, and saturation (wrk) or a fixed rate (hey). Every target is measured at every cell.
/// </summary>
public sealed record Cell(BodySize Body, bool KeepAlive, LoadKind Load)
{
    /// <summary>The Host every request carries: served by the Edge's route, ignored by the others.</summary>
    public string Host => BenchServers.TargetHost;

    public string Path => Body == BodySize.Small ? "/small" : "/large";

    public override string ToString() =>
        $"{(Body == BodySize.Small ? "12 B" : "100 KB")}, {(KeepAlive ? "keep-alive" : "new connection per request")}, " +
        (Load == LoadKind.Saturation ? "saturation (wrk)" : "fixed rate (hey)");
}

public enum BodySize
{
    Small,
    Large,
}

public enum LoadKind
{
    Saturation,
    FixedRate,
}
