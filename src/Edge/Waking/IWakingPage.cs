namespace Mirage.Edge.Waking;

/// <summary>Renders the page a browser gets at once while its environment wakes (the API's templates override the built-in one).</summary>
public interface IWakingPage
{
    /// <summary>The whole HTML document; it must reload itself (the app answers the reload once awake).</summary>
    string Render(WakingPageModel model);
}
