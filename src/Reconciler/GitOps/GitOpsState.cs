namespace Mirage.Reconciler.GitOps;

/// <summary>The latest <see cref="GitOpsStatus"/>, shared between the synchronizer and the API.</summary>
public sealed class GitOpsState
{
    private GitOpsStatus _current = GitOpsStatus.Disabled;

    public GitOpsStatus Current => Volatile.Read(ref _current);

    public void Set(GitOpsStatus status) => Volatile.Write(ref _current, status);
}
