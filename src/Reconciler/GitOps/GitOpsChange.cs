using Mirage.Model.Intents;

namespace Mirage.Reconciler.GitOps;

public enum GitOpsChangeKind
{
    Create,
    Update,
    Terminate,
}

/// <summary>One intent to save: <paramref name="Intent"/> replaces the stored one if it is still at <paramref name="ExpectedRevision"/>.</summary>
public sealed record GitOpsChange(GitOpsChangeKind Kind, EnvironmentIntent Intent, long ExpectedRevision);

/// <summary>An entry of the file that was left alone, and why.</summary>
public sealed record GitOpsConflict(string Subdomain, string Message);
