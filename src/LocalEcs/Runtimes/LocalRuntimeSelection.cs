namespace Mirage.LocalEcs.Runtimes;

/// <summary>
/// Turns <c>local.runtime</c> into what LocalEcs is configured with: <c>process</c>, <c>docker</c>, or <c>auto</c>
/// (docker when a Docker-API engine answers at <c>DOCKER_HOST</c> or the default socket, decided at start by
/// <see cref="LocalRuntimeSelector"/>). The built-in example task definitions are local programs, so with them
/// <c>auto</c> is the process runtime.
/// </summary>
public static class LocalRuntimeSelection
{
    public const string Auto = "auto";

    public static string Resolve(string configured, bool builtInTaskDefinitions) =>
        configured is ProcessRuntime.RuntimeName or DockerRuntime.RuntimeName ? configured
        : builtInTaskDefinitions ? ProcessRuntime.RuntimeName
        : Auto;
}
