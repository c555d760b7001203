using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Cluster;

/// <summary>
/// Several real <c>mirage</c> processes in AWS mode on loopback ports, sharing one intent bucket and one lease in one
/// moto; the lease store (DynamoDB) is reached through a relay the test can cut. Short lease (4 s, renewed every
/// second) so handovers fit in a test on a shared two-core machine. Disposal stops every process it started.
/// </summary>
internal sealed class ClusterScenario : IAsyncDisposable
{
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(4);

    private const string ClusterSection = """
        cluster:
          lease_table: mirage-lease
          lease_duration: 4s
          renew_interval: 1s
          routes_poll_interval: 500ms
          nudge_poll_interval: 500ms

        """;

    private readonly List<MirageProcess> _replicas = [];
    private string _config = "";

    private ClusterScenario(MotoServer moto, MotoApi api, TcpRelay leaseStore)
    {
        Moto = moto;
        Api = api;
        LeaseStore = leaseStore;
    }

    public MotoServer Moto { get; }

    public MotoApi Api { get; }

    /// <summary>The relay every replica reaches DynamoDB through.</summary>
    public TcpRelay LeaseStore { get; }

    public IReadOnlyList<MirageProcess> Replicas => _replicas;

    public static async Task<ClusterScenario> StartAsync(int replicas, CancellationToken cancellationToken)
    {
        var moto = await MotoServer.StartAsync(cancellationToken);
        var scenario = new ClusterScenario(moto, new MotoApi(moto.Endpoint), new TcpRelay(moto.Port));
        try
        {
            await moto.KeepEcsTasksRunningAsync(cancellationToken);
            var (subnet, group) = await scenario.Api.SetUpAsync(cancellationToken);
            scenario._config = AwsModeMirage.Config(MotoApi.EcsCluster, subnet, group, ClusterSection);
            // One after the other: three .NET starts at once on two cores only make each one slower.
            for (var i = 0; i < replicas; i++)
            {
                await scenario.StartReplicaAsync(cancellationToken);
            }
        }
        catch
        {
            await scenario.DisposeAsync();
            throw;
        }
        return scenario;
    }

    public async Task<MirageProcess> StartReplicaAsync(CancellationToken cancellationToken)
    {
        var replica = await MirageProcess.StartAsync(new MirageProcessOptions
        {
            ConfigText = _config,
            Arguments = [],
            ReadyPath = "/api/cluster",
            Environment = new Dictionary<string, string>(AwsModeMirage.Environment(Moto.Endpoint))
            {
                ["AWS_ENDPOINT_URL_DYNAMODB"] = LeaseStore.Endpoint.ToString().TrimEnd('/'),
                ["MIRAGE_REPLICA_ID"] = $"replica-{_replicas.Count + 1}",
            },
        }, cancellationToken);
        _replicas.Add(replica);
        return replica;
    }

    /// <summary>What <paramref name="replica"/> answers on <c>GET /api/cluster</c>.</summary>
    public static async Task<ClusterState> StateAsync(MirageProcess replica, CancellationToken cancellationToken)
    {
        var json = await replica.GetJsonAsync("/api/cluster", cancellationToken);
        return new ClusterState(
            json.GetProperty("self").GetString()!,
            json.GetProperty("leader").ValueKind == JsonValueKind.String ? json.GetProperty("leader").GetString() : null,
            json.GetProperty("isLeader").GetBoolean(),
            json.GetProperty("term").GetInt64(),
            [.. json.GetProperty("replicas").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)],
            [.. json.GetProperty("routes").GetProperty("subdomains").EnumerateArray().Select(s => s.GetString()!)],
            json.GetProperty("routes").GetProperty("origin").GetString()!);
    }

    /// <summary>Waits until exactly one of <paramref name="replicas"/> leads and all of them name it; returns it.</summary>
    public static async Task<(MirageProcess Leader, long Term)> OneLeaderAsync(IReadOnlyList<MirageProcess> replicas, TimeSpan within, CancellationToken cancellationToken)
    {
        var states = await Eventually.ReadAsync(
            async () => await Task.WhenAll(replicas.Select(r => StateAsync(r, cancellationToken))),
            s => s.Count(x => x.IsLeader) == 1 && s.All(x => x.Leader == s.Single(y => y.IsLeader).Self && x.Term == s.Single(y => y.IsLeader).Term),
            within,
            s => "exactly one leader that all replicas name: " + string.Join("; ", s.Select(x => x.ToString())),
            cancellationToken,
            TimeSpan.FromMilliseconds(100));
        var index = Array.FindIndex(states, s => s.IsLeader);
        return (replicas[index], states[index].Term);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas.Where(r => !r.HasExited))
        {
            try
            {
                // A paused process cannot stop: let it go on, then stop it.
                ProcessSignals.Resume(replica.ProcessId);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
        await Task.WhenAll(_replicas.Select(r => r.DisposeAsync().AsTask()));
        await LeaseStore.DisposeAsync();
        Api.Dispose();
        await Moto.DisposeAsync();
    }
}

/// <summary>One replica's <c>/api/cluster</c>, the fields the tests use.</summary>
internal sealed record ClusterState(string Self, string? Leader, bool IsLeader, long Term, IReadOnlyList<string> Replicas, IReadOnlyList<string> Routed, string Origin)
{
    public override string ToString() => $"{Self}: leader={Leader} self-leads={IsLeader} term={Term} routes=[{string.Join(",", Routed)}] ({Origin})";
}
