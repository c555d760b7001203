using System.Net;

namespace Mirage.Edge.Tests.Support;

/// <summary>HttpClient calls to the Edge on 127.0.0.1 with an explicit Host header.</summary>
public static class EdgeClient
{
    public static HttpClient Create(Version? version = null) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        DefaultRequestVersion = version ?? HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromMinutes(2),
    };

    public static HttpRequestMessage Request(HttpMethod method, int port, string host, string path = "/", Version? version = null)
    {
        var request = new HttpRequestMessage(method, $"http://127.0.0.1:{port}{path}")
        {
            Version = version ?? HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Host = host;
        return request;
    }

    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, int port, string host, string path = "/")
    {
        using var request = Request(HttpMethod.Get, port, host, path, client.DefaultRequestVersion);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
