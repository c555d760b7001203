using System.Net.Http.Json;
using System.Text.Json;

namespace Mirage.Api.Cli;

/// <summary>Talks to a Mirage server's <c>/api/*</c> for the command-line client.</summary>
public sealed class MirageClient(HttpClient http, string? host, string tokenHeader, string? token)
{
    public async Task<(int Status, JsonElement Body)> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, path);
        return await SendAsync(request, cancellationToken);
    }

    public async Task<(int Status, JsonElement Body)> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, path);
        request.Content = JsonContent.Create(body, CliJsonContext.Default.Options.GetTypeInfo(body.GetType()));
        return await SendAsync(request, cancellationToken);
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        if (!string.IsNullOrEmpty(host))
        {
            request.Headers.Host = host;
        }
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.TryAddWithoutValidation(tokenHeader, token);
        }
        return request;
    }

    private async Task<(int Status, JsonElement Body)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement body;
        try
        {
            body = JsonDocument.Parse(text.Length == 0 ? "null" : text).RootElement.Clone();
        }
        catch (JsonException)
        {
            body = JsonSerializer.SerializeToElement(text, CliJsonContext.Default.String);
        }
        return ((int)response.StatusCode, body);
    }
}
