namespace Mirage.Api.Environments;

/// <summary>Why a request to change an environment was refused; <see cref="StatusCode"/> is the HTTP answer.</summary>
public sealed record EnvironmentError(int StatusCode, string Message)
{
    public static EnvironmentError BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);
    public static EnvironmentError NotFound(string message) => new(StatusCodes.Status404NotFound, message);
    public static EnvironmentError Conflict(string message) => new(StatusCodes.Status409Conflict, message);
}
