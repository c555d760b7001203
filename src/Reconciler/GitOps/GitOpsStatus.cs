namespace Mirage.Reconciler.GitOps;

/// <summary>What <c>GET /api/gitops</c> reports: the file, the last good version applied, and the current problem if any.</summary>
/// <param name="File">The file as named in the config; null when GitOps is not configured.</param>
/// <param name="AppliedHash">SHA-256 of the last file applied (the state Mirage keeps while a newer version is refused).</param>
/// <param name="Environments">Subdomains the applied file declares.</param>
/// <param name="Error">Why the current version of the file is not applied; null when it is.</param>
/// <param name="Conflicts">Entries of the applied file left alone because someone else owns their subdomain.</param>
public sealed record GitOpsStatus(
    string? File,
    DateTimeOffset? LastCheckedAt,
    string? AppliedHash,
    DateTimeOffset? AppliedAt,
    IReadOnlyList<string> Environments,
    string? Error,
    DateTimeOffset? ErrorSince,
    IReadOnlyList<GitOpsConflict> Conflicts)
{
    public static GitOpsStatus Disabled { get; } = new(null, null, null, null, [], null, null, []);
}
