namespace Mirage.Model.Backend;

/// <summary>
/// A backend that knows the moment one of its tasks changes (started, running, stopping, stopped) says so, with the
/// task as it is now, so the shared task cache stays current and the reconciler acts at once instead of at its next
/// resync. LocalEcs does; on AWS the ECS events queue (ecs.events_queue_url) plays this part.
/// </summary>
public interface ITaskChangeNotifier
{
    /// <summary>Raised with the changed task.</summary>
    event Action<ObservedTask>? TaskChanged;
}
