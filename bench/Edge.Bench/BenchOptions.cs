using System.Globalization;

namespace Mirage.Edge.Bench;

/// <summary>
/// What one run measures. <c>--quick</c>: 12-byte body with keep-alive only, 2 s runs, 3 rounds (about 2 minutes).
/// The default, the full matrix: both bodies, keep-alive and a new connection per request, 5 s runs, 3 rounds.
/// </summary>
public sealed record BenchOptions
{
    public bool Quick { get; init; }

    /// <summary>
    /// <c>--telemetry</c>: only the Edge, with telemetry off and on (scraped), side by side (<see cref="TelemetryComparison"/>).
    /// </summary>
    public bool Telemetry { get; init; }
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Load on every target before the first measurement, so tiered JIT has finished.</summary>
    public TimeSpan InitialWarmup { get; init; } = TimeSpan.FromSeconds(5);
    public int Rounds { get; init; } = 3;
    public int Connections { get; init; } = 64;
    public int Rate { get; init; } = 5_000;
    public int Routes { get; init; } = 10_000;

    /// <summary>Variables set for both .NET proxies (e.g. DOTNET_gcServer=1), for tuning experiments.</summary>
    public IReadOnlyDictionary<string, string> DotnetEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Kestrel's socket transport runs the Edge's code on its I/O threads (an experiment, Edge only).</summary>
    public bool EdgeInlineScheduling { get; init; }

    /// <summary>Variables set for the Edge only, on top of <see cref="DotnetEnvironment"/>.</summary>
    public IReadOnlyDictionary<string, string> EdgeEnvironment { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<Cell> Cells()
    {
        var cells = new List<Cell>();
        foreach (var body in Quick ? [BodySize.Small] : new[] { BodySize.Small, BodySize.Large })
        {
            foreach (var keepAlive in Quick ? [true] : new[] { true, false })
            {
                cells.Add(new Cell(body, keepAlive, LoadKind.Saturation));
                cells.Add(new Cell(body, keepAlive, LoadKind.FixedRate));
            }
        }
        return cells;
    }

    public static BenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var options = new BenchOptions { Quick = quick };
        var dotnetEnv = new Dictionary<string, string>();
        var edgeEnv = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--quick":
                    break;
                case "--telemetry":
                    options = options with { Telemetry = true };
                    break;
                case "--duration":
                    options = options with { Duration = TimeSpan.FromSeconds(int.Parse(Next(), CultureInfo.InvariantCulture)) };
                    break;
                case "--rounds":
                    options = options with { Rounds = int.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--connections":
                    options = options with { Connections = int.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--rate":
                    options = options with { Rate = int.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--env":
                    AddVariable(dotnetEnv, Next());
                    break;
                case "--edge-inline-scheduling":
                    options = options with { EdgeInlineScheduling = true };
                    break;
                case "--edge-env":
                    AddVariable(edgeEnv, Next());
                    break;
                default:
                    throw new ArgumentException($"unknown option {args[i]}; see docs/performance.md");
            }
        }
        if (quick && !args.Contains("--duration"))
        {
            options = options with { Duration = TimeSpan.FromSeconds(2) };
        }
        return options with { DotnetEnvironment = dotnetEnv, EdgeEnvironment = edgeEnv };
    }

    private static void AddVariable(Dictionary<string, string> into, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"'{assignment}' is not NAME=VALUE");
        }
        into[assignment[..equals]] = assignment[(equals + 1)..];
    }
}
