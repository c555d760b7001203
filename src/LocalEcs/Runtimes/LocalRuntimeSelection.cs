using Mirage.LocalEcs.Docker;

namespace Mirage.LocalEcs.Runtimes;

/// <summary>
/// Turns <c>local.runtime</c> into the runtime LocalEcs uses. <c>auto</c> picks docker when a Docker-API engine
/// answers at <c>DOCKER_HOST</c> (or the default socket) and the task definitions are the user's own: the built-in
/// examples are local programs, so they keep the process runtime.
/// </summary>
public static class LocalRuntimeSelection
{
    public static string Resolve(string configured, bool builtInTaskDefinitions, string dockerHost)
    {
        if (configured is ProcessRuntime.RuntimeName or DockerRuntime.RuntimeName)
        {
            return configured;
        }
        if (builtInTaskDefinitions)
        {
            return ProcessRuntime.RuntimeName;
        }
        using var engine = new DockerEngineClient(dockerHost);
        return engine.PingAsync(TimeSpan.FromSeconds(2), CancellationToken.None).GetAwaiter().GetResult()
            ? DockerRuntime.RuntimeName
            : ProcessRuntime.RuntimeName;
    }
}
