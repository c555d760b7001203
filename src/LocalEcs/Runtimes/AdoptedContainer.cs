using Mirage.LocalEcs.Tasks;

namespace Mirage.LocalEcs.Runtimes;

/// <summary>
/// A journaled container found again after a restart: <see cref="Handle"/> when it still runs; otherwise
/// <see cref="GoneReason"/> (and the exit code when the runtime still knows it). <see cref="Container"/> is the
/// journal entry, updated with what was found (e.g. a pid journaled too late).
/// </summary>
internal sealed record AdoptedContainer(LocalContainerSnapshot Container, IContainerHandle? Handle, string? GoneReason, int? ExitCode = null, bool NeverStarted = false);
