namespace Mirage.LocalEcs.Standalone;

/// <summary>Which container a request is about: found, not found (404), or more than one candidate (400).</summary>
public sealed record CallerResolution(EngineContainer? Container, int StatusCode, string Message)
{
    public static CallerResolution Found(EngineContainer container) => new(container, 200, "");

    public static CallerResolution NotFound(string message) => new(null, 404, message);

    public static CallerResolution Ambiguous(string message) => new(null, 400, message);
}
