namespace Mirage.Model.Intents;

/// <summary>A Kubernetes-style status condition.</summary>
public sealed record Condition(
    string Type,
    ConditionStatus Status,
    string Reason,
    string Message,
    DateTimeOffset LastTransitionTime,
    long ObservedRevision);

public enum ConditionStatus
{
    Unknown,
    True,
    False,
}

/// <summary>The condition types Mirage reports.</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string TaskRunning = "TaskRunning";
    public const string RouteProgrammed = "RouteProgrammed";
    public const string DnsLinked = "DnsLinked";
    public const string Idle = "Idle";
    public const string Expiring = "Expiring";
    public const string Sleep = "Sleep";
}
