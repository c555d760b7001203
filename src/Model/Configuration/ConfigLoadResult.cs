namespace Mirage.Model.Configuration;

/// <summary>The resolved configuration and the warnings found while reading it.</summary>
public sealed record ConfigLoadResult(MirageConfig Config, IReadOnlyList<ConfigWarning> Warnings);
