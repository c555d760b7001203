namespace Mirage.Edge.Tests.Support;

/// <summary>Sets the Host header on requests ClientWebSocket makes, which it offers no option for.</summary>
public sealed class HostRewritingHandler(string host, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Host = host;
        return base.SendAsync(request, cancellationToken);
    }
}
