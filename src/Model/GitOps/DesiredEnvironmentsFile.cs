namespace Mirage.Model.GitOps;

/// <summary>The desired-environments file as parsed: every entry valid, no subdomain twice.</summary>
/// <param name="AllowEmpty">The file says <c>allow_empty: true</c>, so listing nothing terminates every environment it owns.</param>
public sealed record DesiredEnvironmentsFile(IReadOnlyList<DesiredEnvironment> Environments, bool AllowEmpty);
