namespace Mirage.Model.Backend;

/// <summary>
/// ECS's task and container statuses, as they appear in <c>lastStatus</c>/<c>desiredStatus</c> on the wire and in
/// <see cref="ObservedTask"/>. The one set of names LocalEcs, the reconciler, the Edge and the API compare against.
/// </summary>
/// <remarks>Strings, not an enum: they travel as-is between ECS, the journal and the API, and ECS may add more.</remarks>
public static class EcsTaskStatus
{
    public const string Provisioning = "PROVISIONING";
    public const string Pending = "PENDING";
    public const string Activating = "ACTIVATING";
    public const string Running = "RUNNING";
    public const string Deactivating = "DEACTIVATING";
    public const string Stopping = "STOPPING";
    public const string Deprovisioning = "DEPROVISIONING";
    public const string Stopped = "STOPPED";

    /// <summary>The desired status a listing asks for, as ECS spells it.</summary>
    public static string Of(TaskDesiredStatus desired) => desired == TaskDesiredStatus.Running ? Running : Stopped;
}
