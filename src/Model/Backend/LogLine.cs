namespace Mirage.Model.Backend;

public sealed record LogLine(DateTimeOffset Timestamp, string Container, string Message);
