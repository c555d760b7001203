using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mirage.LocalEcs.Docker;

namespace Mirage.LocalEcs.Runtimes;

/// <summary>
/// Registered before LocalEcs's other hosted services, so the runtime is chosen before the endpoints bind and the
/// journal is read: <c>auto</c> pings the one <see cref="DockerEngineClient"/> (asynchronously, within
/// <see cref="PingTimeout"/>) and takes docker when it answers.
/// </summary>
internal sealed class LocalRuntimeSelector(
    IOptions<LocalEcsOptions> options,
    DockerEngineClient engine,
    LocalRuntimeChoice choice,
    TimeProvider time,
    ILogger<LocalRuntimeSelector> logger) : IHostedService
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.Runtime;
        var name = configured == LocalRuntimeSelection.Auto
            ? await engine.PingAsync(PingTimeout, time, cancellationToken) ? DockerRuntime.RuntimeName : ProcessRuntime.RuntimeName
            : configured;
        choice.Choose(name, options.Value, engine, time);
        Log.RuntimeChosen(logger, choice.Name, configured, engine.Host);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
