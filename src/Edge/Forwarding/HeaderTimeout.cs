namespace Mirage.Edge.Forwarding;

/// <summary>
/// One request's <c>proxy_timeout</c>: like Go's <c>ResponseHeaderTimeout</c>, the clock starts once the request
/// (body included) has been sent and stops when response headers arrive, so a slow upload or a long response body
/// is never cut (mirage-ecs issue #69).
/// </summary>
internal sealed class HeaderTimeout(TimeSpan timeout, TimeProvider time) : IDisposable
{
    private readonly CancellationTokenSource _timer = new(System.Threading.Timeout.InfiniteTimeSpan, time);
    private int _armed;

    public TimeSpan Timeout => timeout;

    public CancellationToken Token => _timer.Token;

    public bool Fired => _timer.IsCancellationRequested;

    /// <summary>Starts the clock; later calls do nothing.</summary>
    public void Arm()
    {
        if (Interlocked.Exchange(ref _armed, 1) == 0)
        {
            try
            {
                // _timer was made with the TimeProvider, so CancelAfter counts on that clock, not the wall clock.
#pragma warning disable RS0030
                _timer.CancelAfter(timeout);
#pragma warning restore RS0030
            }
            catch (ObjectDisposedException)
            {
                // The exchange already finished.
            }
        }
    }

    public void Dispose() => _timer.Dispose();
}
