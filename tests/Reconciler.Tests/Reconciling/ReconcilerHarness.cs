using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mirage.Model.Configuration;
using Mirage.Model.Intents;
using Mirage.Model.Leadership;
using Mirage.Model.Links;
using Mirage.Model.Routing;
using Mirage.Reconciler.IntentStore;
using Mirage.Reconciler.Policies;
using Mirage.Reconciler.Reconciling;
using Mirage.Reconciler.Routing;
using Mirage.TestKit;

namespace Mirage.Reconciler.Tests.Reconciling;

/// <summary>An EnvironmentReconciler over a real file store, an in-memory backend and a manual clock.</summary>
internal sealed class ReconcilerHarness : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mirage-reconciler-").FullName;

    public ReconcilerHarness(ReconcilerOptions? options = null, MirageConfig? config = null)
    {
        Backend = new InMemoryEcsBackend(Clock);
        Store = new FileIntentStore(_folder, NullLogger<FileIntentStore>.Instance);
        Routes = new RouteBook(Publisher);
        Config = config ?? new MirageConfig
        {
            Parameters = [ParameterConfig.DefaultBranch, new ParameterConfig { Name = "owner", Env = "OWNER" }],
        };
        Access = new RecordedAccess(Clock);
        Policies = new LifecyclePolicies(new IdleProbe(Access, Clock), Config, Clock);
        Cache = new ObservedTasks(Backend, Clock);
        Reconciler = new EnvironmentReconciler(Store, Cache, Backend, Routes, new NoEnvironmentLinks(), Policies, new SingleReplicaLeadership("test", "test:0", Clock), Config,
            Options.Create(options ?? new ReconcilerOptions()), Clock, NullLogger<EnvironmentReconciler>.Instance);
    }

    public RecordedAccess Access { get; }
    public LifecyclePolicies Policies { get; }

    public FakeTimeProvider Clock { get; } = new(TestClock.Start);
    public InMemoryEcsBackend Backend { get; }
    public FileIntentStore Store { get; }
    public RouteTablePublisher Publisher { get; } = new();
    public RouteBook Routes { get; }
    public MirageConfig Config { get; }
    public EnvironmentReconciler Reconciler { get; }

    /// <summary>The shared task cache the passes read.</summary>
    public ObservedTasks Cache { get; }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public Task<EnvironmentIntent> LaunchAsync(string subdomain, params string[] taskDefinitions) =>
        LaunchAsync(subdomain, LifecyclePolicy.Default, taskDefinitions);

    public async Task<EnvironmentIntent> LaunchAsync(string subdomain, LifecyclePolicy policy, params string[] taskDefinitions)
    {
        var existing = await Store.GetAsync(subdomain, Token);
        var intent = new EnvironmentIntent
        {
            Subdomain = subdomain,
            TaskDefinitions = taskDefinitions,
            Parameters = new Dictionary<string, string> { ["branch"] = "feature/x", ["owner"] = "alice" },
            Desired = DesiredState.Running,
            Policy = policy,
            CreatedAt = Clock.GetUtcNow(),
            UpdatedAt = Clock.GetUtcNow(),
            LaunchedAt = Clock.GetUtcNow(),
        };
        return await Store.SaveAsync(intent, existing?.Revision ?? 0, Token);
    }

    /// <summary>Passes until the environment is Running (starting its tasks on the way).</summary>
    public async Task<ReconcileResult> RunAsync(string subdomain)
    {
        await PassAsync(subdomain);
        Backend.StartAll();
        return await PassAsync(subdomain);
    }

    public async Task TerminateAsync(string subdomain)
    {
        var existing = (await Store.GetAsync(subdomain, Token))!;
        await Store.SaveAsync(existing with { Desired = DesiredState.Terminated, UpdatedAt = Clock.GetUtcNow() }, existing.Revision, Token);
    }

    /// <summary>Asks for the environment to sleep, as the API does.</summary>
    public async Task SaveAsleepAsync(string subdomain)
    {
        var now = Clock.GetUtcNow();
        await IntentUpdates.SleepAsync(Store, subdomain, new EnvironmentEvent(now, CauseReasons.Slept, "Asleep: put to sleep through the API"), onlyRevision: null, Token);
    }

    /// <summary>One pass, a moment later.</summary>
    public async Task<ReconcileResult> PassAsync(string subdomain)
    {
        Clock.Advance(TimeSpan.FromMilliseconds(10));
        return await Reconciler.ReconcileAsync(subdomain, Token);
    }

    public async Task<EnvironmentStatus> StatusAsync(string subdomain) => (await Store.GetStatusAsync(subdomain, Token))!;

    public void Dispose()
    {
        Store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
