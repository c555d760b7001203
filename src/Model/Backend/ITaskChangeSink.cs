namespace Mirage.Model.Backend;

/// <summary>
/// Where a watch of the backend (the ECS events queue) delivers task changes: the shared task cache, which queues
/// the task's environment when the change is news.
/// </summary>
public interface ITaskChangeSink
{
    /// <summary>Applies a reported change; false when it was old news (a duplicate or an out-of-order report) or not Mirage's task.</summary>
    Task<bool> ApplyAsync(ObservedTask task, CancellationToken cancellationToken);
}
