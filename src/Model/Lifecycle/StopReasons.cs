namespace Mirage.Model.Lifecycle;

/// <summary>StopTask reasons Mirage gives and recognises when it reads a stopped task back (LocalEcs and ECS keep them).</summary>
public static class StopReasons
{
    /// <summary>Stopped because the environment went to sleep: never a crash, a restart or a recovery.</summary>
    public const string Sleeping = "mirage: sleeping";
}
