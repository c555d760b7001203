namespace Mirage.LocalEcs.Docker;

/// <summary>The engine refused or failed a request; <see cref="StatusCode"/> is its HTTP status (0 when it gave none).</summary>
public sealed class DockerEngineException(string message, int statusCode) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
