namespace Mirage.Edge.Waking;

/// <summary>The model of the waking page (<c>waking.html</c> in htmldir): what a browser sees while its environment wakes.</summary>
/// <param name="Host">The host the browser asked for.</param>
/// <param name="Subdomain">The environment (subdomain or pattern) being woken.</param>
/// <param name="RefreshSeconds">How often the page reloads itself until the app answers.</param>
/// <param name="WakeTimeoutSeconds">How long Mirage waits for the app (sleep.wake_timeout).</param>
public sealed record WakingPageModel(string Host, string Subdomain, int RefreshSeconds, int WakeTimeoutSeconds);
