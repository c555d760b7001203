namespace Mirage.Edge.Forwarding;

/// <summary>The upstream did not send response headers within <c>network.proxy_timeout</c>.</summary>
public sealed class UpstreamHeadersTimeoutException(TimeSpan timeout, Exception? innerException = null)
    : TimeoutException($"no response headers within {timeout}", innerException)
{
    public TimeSpan Timeout { get; } = timeout;
}
