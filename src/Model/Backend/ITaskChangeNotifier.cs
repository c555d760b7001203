namespace Mirage.Model.Backend;

/// <summary>
/// A backend that knows the moment one of its tasks changes (started, running, stopping, stopped) says so, so the
/// reconciler acts at once instead of at its next resync. ECS has no such push here; LocalEcs does.
/// </summary>
public interface ITaskChangeNotifier
{
    /// <summary>Raised with the subdomain in the changed task's tags.</summary>
    event Action<string>? TaskChanged;
}
