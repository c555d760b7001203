using Microsoft.Extensions.Logging;
using Mirage.LocalEcs.Runtimes;

namespace Mirage.LocalEcs.Tasks;

/// <summary>What every task of one LocalEcs instance shares.</summary>
internal sealed record LocalTaskContext(
    LocalEcsOptions Options,
    TimeProvider Time,
    ILogger Logger,
    TaskJournal Journal,
    IReadOnlyDictionary<string, string> InheritedEnvironment,
    Action<LocalTaskSnapshot> Changed,
    IContainerRuntime Runtime);
