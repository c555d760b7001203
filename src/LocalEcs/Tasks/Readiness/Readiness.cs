namespace Mirage.LocalEcs.Tasks.Readiness;

/// <summary>What the ports of a PENDING task say: all accept (ready), some do not yet (waiting), or one never did in time.</summary>
internal sealed record Readiness(ReadinessVerdict Verdict, string? FailureReason = null)
{
    public static readonly Readiness Ready = new(ReadinessVerdict.Ready);
    public static readonly Readiness Waiting = new(ReadinessVerdict.Waiting);

    /// <summary>The rule: a closed port is waited for until <paramref name="timeout"/> has passed since the task became pending.</summary>
    public static Readiness Judge(ClosedPort? firstClosed, TimeSpan pendingFor, TimeSpan timeout) => firstClosed switch
    {
        null => Ready,
        _ when pendingFor < timeout => Waiting,
        { } port => new Readiness(
            ReadinessVerdict.TimedOut,
            $"Task failed to start: port {port.ContainerPort} of container {port.Container} (127.0.0.1:{port.HostPort}) did not accept connections within {timeout.TotalSeconds:0} s"),
    };
}

internal enum ReadinessVerdict
{
    Ready,
    Waiting,
    TimedOut,
}

/// <summary>A container port that did not accept a connection.</summary>
internal sealed record ClosedPort(string Container, int ContainerPort, int HostPort);
