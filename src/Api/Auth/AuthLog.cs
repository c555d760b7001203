namespace Mirage.Api.Auth;

/// <summary>What the auth rules log: methods and reasons, never a presented or configured secret.</summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "auth: {Method} {Path} refused (401): {Refusals}")]
    public static partial void Refused(ILogger logger, string method, string path, string refusals);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "auth: {Method} {Path} allowed by {AuthMethod}")]
    public static partial void Allowed(ILogger logger, string method, string path, string authMethod);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "auth: {Method} {Path} refused (400): {Reason}")]
    public static partial void BadRequest(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "auth: {Method} {Path} refused (413): the body is over {Limit} bytes")]
    public static partial void TooLarge(ILogger logger, string method, string path, long limit);
}
