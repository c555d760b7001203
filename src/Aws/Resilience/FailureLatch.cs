namespace Mirage.Aws.Resilience;

/// <summary>Tells a background loop when to log a dependency going away and coming back: once each, not every round.</summary>
public sealed class FailureLatch
{
    private bool _failing;

    /// <summary>True when this failure is the first since the last success.</summary>
    public bool Fail()
    {
        var first = !_failing;
        _failing = true;
        return first;
    }

    /// <summary>True when this success ends a run of failures.</summary>
    public bool Recover()
    {
        var was = _failing;
        _failing = false;
        return was;
    }
}
