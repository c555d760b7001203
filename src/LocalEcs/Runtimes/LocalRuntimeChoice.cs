using Mirage.LocalEcs.Docker;

namespace Mirage.LocalEcs.Runtimes;

/// <summary>
/// The container runtime LocalEcs runs its tasks with, chosen once when the host starts (see
/// <see cref="LocalRuntimeSelector"/>): <c>auto</c> needs an engine ping, which must not block service registration.
/// Everything that depends on the runtime asks here when it runs, not when it is built.
/// </summary>
public sealed class LocalRuntimeChoice
{
    private IContainerRuntime? _runtime;

    public string Name => Runtime.Name;

    public bool IsDocker => Name == DockerRuntime.RuntimeName;

    internal IContainerRuntime Runtime => _runtime
        ?? throw new InvalidOperationException("LocalEcs's container runtime is chosen when the host starts; nothing can use it before then");

    /// <summary>Chooses <c>process</c> or <c>docker</c> (which needs the engine); the first choice stands.</summary>
    internal void Choose(string name, LocalEcsOptions options, DockerEngineClient? engine, TimeProvider time) =>
        Interlocked.CompareExchange(
            ref _runtime,
            name == DockerRuntime.RuntimeName
                ? new DockerRuntime(options, engine ?? throw new ArgumentNullException(nameof(engine), "the docker runtime needs an engine client"), time)
                : new ProcessRuntime(options, time),
            null);

    /// <summary>A choice made up front, for code that builds LocalEcs without a host (tests, tools).</summary>
    internal static LocalRuntimeChoice Of(string name, LocalEcsOptions options, DockerEngineClient? engine, TimeProvider time)
    {
        var choice = new LocalRuntimeChoice();
        choice.Choose(name, options, engine, time);
        return choice;
    }
}
