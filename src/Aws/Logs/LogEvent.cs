namespace Mirage.Aws.Logs;

public sealed record LogEvent(DateTimeOffset Timestamp, string Message);
