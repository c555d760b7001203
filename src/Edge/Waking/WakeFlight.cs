namespace Mirage.Edge.Waking;

/// <summary>
/// One wake of one sleeping route in this Edge: every request to the host joins the same flight, so one wake request
/// is written however many arrive, and all of them are released by the same route change.
/// </summary>
internal sealed class WakeFlight(string routeKey)
{
    private readonly TaskCompletionSource<WakeOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The route key (subdomain or pattern) being woken.</summary>
    public string RouteKey { get; } = routeKey;

    public Task<WakeOutcome> Outcome => _outcome.Task;

    /// <summary>Ends the flight; later calls change nothing.</summary>
    public bool Complete(WakeOutcome outcome) => _outcome.TrySetResult(outcome);
}
