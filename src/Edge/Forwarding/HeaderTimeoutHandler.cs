using System.Net.Http;

namespace Mirage.Edge.Forwarding;

/// <summary>
/// Applies a request's <see cref="HeaderTimeout"/> to the send only: the token it adds is linked for the time the
/// inner handler takes to return response headers, and released before the body is streamed.
/// </summary>
internal sealed class HeaderTimeoutHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public static readonly HttpRequestOptionsKey<HeaderTimeout> OptionKey = new("Mirage.Edge.HeaderTimeout");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.Options.TryGetValue(OptionKey, out var timeout)
            ? SendWithTimeoutAsync(request, timeout, cancellationToken)
            : base.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> SendWithTimeoutAsync(HttpRequestMessage request, HeaderTimeout timeout, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        if (request.Content is null)
        {
            timeout.Arm();
        }
        try
        {
            return await base.SendAsync(request, linked.Token);
        }
        catch (OperationCanceledException ex) when (timeout.Fired && !cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamHeadersTimeoutException(timeout.Timeout, ex);
        }
    }
}
