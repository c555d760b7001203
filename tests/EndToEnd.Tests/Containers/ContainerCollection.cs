namespace Mirage.EndToEnd.Tests.Containers;

/// <summary>
/// Container tests run alone: starting containers under podman is slow on a loaded machine, and a launch that waits
/// for readiness should not compete with browser tests for the CPU.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ContainerCollection
{
    public const string Name = "containers";
}
