using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mirage.LocalEcs.Credentials;
using Mirage.LocalEcs.Endpoints;
using Mirage.LocalEcs.Runtimes;
using Mirage.LocalEcs.TaskDefinitions;
using Mirage.LocalEcs.Tasks;
using Mirage.Model.Backend;
using Mirage.TestKit;

namespace Mirage.LocalEcs.Tests;

/// <summary>A LocalEcs over a temporary folder, with real processes and a real endpoint listener on 127.0.0.1.</summary>
internal sealed class LocalEcsHarness : IAsyncDisposable
{
    public static readonly EcsTag ManagedBy = new("ManagedBy", "Mirage");

    private readonly TimeProvider _time;

    public LocalEcsHarness(Action<LocalEcsOptions>? configure = null, TimeProvider? time = null)
    {
        Root = Directory.CreateTempSubdirectory("localecs-test-").FullName;
        Options = new LocalEcsOptions
        {
            TaskDefinitionsFolder = Path.Combine(Root, "task-definitions"),
            StateFolder = Path.Combine(Root, "state"),
            StopGracePeriod = TimeSpan.FromSeconds(5),
            PortReadyTimeout = TimeSpan.FromSeconds(60),
            PollInterval = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(Options);
        Directory.CreateDirectory(Options.TaskDefinitionsFolder);
        _time = time ?? TimeProvider.System;
        Registry = new LocalTaskRegistry();
        Credentials = new TaskCredentialsProvider(Microsoft.Extensions.Options.Options.Create(Options), _time);
        Engine = Options.Runtime == "docker" ? new Docker.DockerEngineClient(Options.DockerHost) : null;
        Runtime = LocalRuntimeChoice.Of(Options.Runtime, Options, Engine, _time);
        Server = NewServer();
        Backend = NewBackend();
    }

    public string Root { get; }
    public LocalEcsOptions Options { get; }
    public LocalTaskRegistry Registry { get; private set; }
    public TaskCredentialsProvider Credentials { get; }
    public LocalEcsEndpointServer Server { get; private set; }
    public LocalEcsBackend Backend { get; private set; }
    public Docker.DockerEngineClient? Engine { get; }
    public LocalRuntimeChoice Runtime { get; }

    public TaskDefinitionCatalog Catalog => new(Microsoft.Extensions.Options.Options.Create(Options), Runtime);

    public void WriteTaskDefinition(string fileName, object definition) =>
        File.WriteAllText(Path.Combine(Options.TaskDefinitionsFolder, fileName), JsonSerializer.Serialize(definition));

    public Task<ObservedTask> RunAsync(string taskDefinition, string? clientToken = null, IReadOnlyList<ContainerOverride>? overrides = null, IReadOnlyList<EcsTag>? tags = null) =>
        Backend.RunTaskAsync(
            new RunTaskRequest(taskDefinition, overrides ?? [], tags ?? [ManagedBy], "mirage-test", clientToken ?? Guid.NewGuid().ToString("N")),
            TestContext.Current.CancellationToken);

    public LocalTaskSnapshot Snapshot(string arn) =>
        Registry.Snapshot(arn[(arn.LastIndexOf('/') + 1)..]) ?? throw new InvalidOperationException($"task {arn} is not known");

    /// <summary>Waits (generously: the machine is shared) until the task satisfies <paramref name="condition"/>.</summary>
    public Task<LocalTaskSnapshot> WaitForAsync(string arn, Func<LocalTaskSnapshot, bool> condition, string what, int seconds = 60) =>
        Eventually.ReadAsync(
            () => Task.FromResult(Snapshot(arn)), condition, TimeSpan.FromSeconds(seconds),
            snapshot => $"task did not become {what}; it is {snapshot.LastStatus} ({snapshot.StoppedReason}); containers: {string.Join(", ", snapshot.Containers.Select(c => $"{c.Name}={c.LastStatus}/{c.ExitCode}/{c.Reason}"))}; logs: {string.Join(" | ", Logs(arn).TakeLast(10).Select(l => l.Message))}",
            TestContext.Current.CancellationToken);

    public Task<LocalTaskSnapshot> WaitRunningAsync(string arn) => WaitForAsync(arn, t => t.LastStatus == EcsTaskStatus.Running, EcsTaskStatus.Running);

    public Task<LocalTaskSnapshot> WaitStoppedAsync(string arn) => WaitForAsync(arn, t => t.LastStatus == EcsTaskStatus.Stopped, EcsTaskStatus.Stopped);

    public IReadOnlyList<LogLine> Logs(string arn, DateTimeOffset? since = null) =>
        Registry.Snapshot(arn[(arn.LastIndexOf('/') + 1)..]) is null
            ? []
            : Backend.ReadLogsAsync(new ObservedTask { Arn = arn, TaskDefinitionArn = "", LastStatus = "", DesiredStatus = "" }, since, CancellationToken.None).GetAwaiter().GetResult();

    public Task<IReadOnlyList<LogLine>> WaitForLogAsync(string arn, string text, int seconds = 60) =>
        Eventually.ReadAsync(
            () => Task.FromResult(Logs(arn)), logs => logs.Any(l => l.Message.Contains(text, StringComparison.Ordinal)), TimeSpan.FromSeconds(seconds),
            logs => $"no log line with '{text}'; logs: {string.Join(" | ", logs.TakeLast(20).Select(l => l.Message))}",
            TestContext.Current.CancellationToken);

    /// <summary>What a Mirage crash and restart look like: the old instance lets go of everything, a new one reads the journal.</summary>
    public async Task RestartAsync(Func<Task>? whileAway = null)
    {
        await Backend.DetachAsync();
        await Server.DisposeAsync();
        if (whileAway is not null)
        {
            await whileAway();
        }
        Registry = new LocalTaskRegistry();
        Server = NewServer();
        Backend = NewBackend();
        await Backend.EnsureLoadedAsync(TestContext.Current.CancellationToken);
    }

    public async Task<Uri> EndpointAsync() => await Server.GetBaseAddressAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync();
        await Server.DisposeAsync();
        Credentials.Dispose();
        Engine?.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process may still be flushing a log file; the temp folder is harmless.
        }
    }

    private LocalEcsEndpointServer NewServer()
    {
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        var services = new LocalEcsEndpointServices(Registry, new MetadataBuilder(options), new StatsSampler(_time, Engine, Runtime), Credentials, NullLogger<LocalEcsEndpointServices>.Instance);
        return new LocalEcsEndpointServer(options, services, Runtime, NullLoggerFactory.Instance);
    }

    private LocalEcsBackend NewBackend()
    {
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        return new LocalEcsBackend(options, new TaskDefinitionCatalog(options, Runtime), Registry, Server, Runtime, _time, NullLogger<LocalEcsBackend>.Instance);
    }
}
