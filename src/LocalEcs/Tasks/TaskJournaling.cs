namespace Mirage.LocalEcs.Tasks;

/// <summary>
/// Writes a task's snapshot to the journal when it changed since the last write. Snapshots are immutable records
/// replaced on every change, so "changed" is a reference comparison.
/// </summary>
internal sealed class TaskJournaling(LocalTaskState task, TaskJournal journal)
{
    private LocalTaskSnapshot? _written;

    /// <summary>The snapshot as journaled when the loop starts (new, or read back from the journal).</summary>
    public void Journaled(LocalTaskSnapshot snapshot) => _written = snapshot;

    /// <summary>Writes the current snapshot unless it is the one last written.</summary>
    public void Persist()
    {
        var current = task.Current;
        if (!ReferenceEquals(current, _written))
        {
            journal.Write(current);
            _written = current;
        }
    }

    /// <summary>Writes now, whatever was written before: a container about to start, or one just re-attached.</summary>
    public void WriteNow()
    {
        var current = task.Current;
        journal.Write(current);
        _written = current;
    }
}
