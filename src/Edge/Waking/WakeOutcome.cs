using Mirage.Model.Routing;

namespace Mirage.Edge.Waking;

/// <summary>How a wake ended for the requests waiting on it.</summary>
/// <param name="Awake">The route that serves again (null unless the wake succeeded).</param>
/// <param name="StatusCode">What waiting requests get when there is no route to forward to (502, 503, 404).</param>
/// <param name="Message">Why, for that answer.</param>
internal sealed record WakeOutcome(Route? Awake, int StatusCode, string Message)
{
    public static WakeOutcome Woken(Route route) => new(route, 0, "");
}
