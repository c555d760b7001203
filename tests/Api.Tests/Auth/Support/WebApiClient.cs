using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Mirage.Api.Tests.Auth.Support;

/// <summary>HTTP calls to 127.0.0.1 with <c>Host: mirage.localtest.me</c>, without cookie handling or redirects.</summary>
public sealed class WebApiClient(int port, string host = AuthTestServer.WebApi) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        Expect100ContinueTimeout = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = TimeSpan.FromMinutes(1),
    };

    public HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, $"http://127.0.0.1:{port}{path}");
        request.Headers.Host = host;
        return request;
    }

    public async Task<Reply> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            return new Reply(response.StatusCode, body, response.Headers, response.Content.Headers.ContentType?.MediaType);
        }
    }

    public Task<Reply> GetAsync(string path, Action<HttpRequestHeaders>? headers = null)
    {
        var request = Request(HttpMethod.Get, path);
        headers?.Invoke(request.Headers);
        return SendAsync(request);
    }

    public Task<Reply> PostAsync(string path, HttpContent? content, Action<HttpRequestHeaders>? headers = null)
    {
        var request = Request(HttpMethod.Post, path);
        request.Content = content;
        headers?.Invoke(request.Headers);
        return SendAsync(request);
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));

    public static string BasicHeader(string username, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));

    public void Dispose() => _http.Dispose();
}

public sealed record Reply(HttpStatusCode Status, string Body, HttpResponseHeaders Headers, string? ContentType)
{
    public IReadOnlyList<string> SetCookies => Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];

    /// <summary>The value of the <c>mirage-ecs-auth</c> cookie set by the response, or null.</summary>
    public string? AuthCookieValue =>
        SetCookies.Select(c => c.Split(';')[0]).Where(c => c.StartsWith("mirage-ecs-auth=", StringComparison.Ordinal))
            .Select(c => c["mirage-ecs-auth=".Length..]).FirstOrDefault();
}
