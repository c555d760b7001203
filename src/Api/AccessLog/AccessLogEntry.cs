namespace Mirage.Api.AccessLog;

/// <summary>What one web UI or API request leaves in the access log (echo's default Logger fields).</summary>
public sealed record AccessLogEntry(
    DateTimeOffset Time,
    string Id,
    string RemoteIp,
    string Host,
    string Method,
    string Uri,
    string UserAgent,
    int Status,
    string Error,
    TimeSpan Latency,
    long BytesIn,
    long BytesOut);
