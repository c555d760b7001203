using Mirage.Model.Backend;

namespace Mirage.Model.Launch;

/// <summary>Reads Mirage's ownership tags off an observed task.</summary>
public static class TaskTags
{
    /// <summary>The subdomain in the task's tags; "" for a task without one.</summary>
    public static string SubdomainOf(ObservedTask task) => LaunchEnvironment.FindSubdomain(task.Tags) ?? "";

    public static long? RevisionOf(ObservedTask task) => LaunchEnvironment.FindRevision(task.Tags);

    public static int? IndexOf(ObservedTask task) => LaunchEnvironment.FindTaskIndex(task.Tags);
}
