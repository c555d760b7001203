using System.Net;

namespace Mirage.Edge.Waking;

/// <summary>The waking page when nothing better is registered (an Edge without the web UI's templates).</summary>
public sealed class BuiltInWakingPage : IWakingPage
{
    public string Render(WakingPageModel model)
    {
        var host = WebUtility.HtmlEncode(model.Host);
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="{model.RefreshSeconds}">
            <title>Waking up {host}</title></head>
            <body><h1 id="waking">Waking up {host}</h1><p>This page reloads itself until the app answers.</p></body></html>
            """;
    }
}
