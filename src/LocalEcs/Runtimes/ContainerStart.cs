using Mirage.LocalEcs.Logs;
using Mirage.LocalEcs.TaskDefinitions;
using Mirage.LocalEcs.Tasks;

namespace Mirage.LocalEcs.Runtimes;

/// <summary>Everything a runtime needs to start one container of a task.</summary>
/// <param name="Argv">entryPoint + command with ports expanded (empty: the image's own).</param>
/// <param name="EntryPointCount">How many of <paramref name="Argv"/> came from entryPoint.</param>
/// <param name="Created">Called with the engine's container id before the container starts, so metadata asked at once names it.</param>
internal sealed record ContainerStart(
    LocalTaskSnapshot Task,
    LocalContainerDefinition Definition,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Argv,
    int EntryPointCount,
    string LogFolder,
    LogBuffer Logs,
    Action<string> Created);
