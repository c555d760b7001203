using System.Net;
using System.Text.Json;
using Mirage.TestKit;
using Mirage.TestKit.Containers;

namespace Mirage.EndToEnd.Tests.Attacks;

/// <summary>
/// Issue 12 item 2: a real <c>mirage local-endpoints</c> on loopback, attacked as a web page doing DNS rebinding and as
/// a local process without the token would. Each attempt is refused with a JSON 403/401 and no credentials; the
/// caller with the token still gets them, and the process is alive throughout.
/// </summary>
public sealed class LocalEndpointsCredentialTheftAttackTests(CredentialsAttackFixture aws, ContainerEngineFixture engine)
    : IClassFixture<CredentialsAttackFixture>, IClassFixture<ContainerEngineFixture>
{
    private const string Token = "attack-suite-endpoints-token-0123456789abcdef";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Local_endpoints_give_credentials_only_to_a_non_browser_caller_with_the_token()
    {
        engine.RequireEngine();
        var environment = new Dictionary<string, string>(aws.AwsEnvironment)
        {
            ["DOCKER_HOST"] = engine.DockerHost,
            ["STS_ENDPOINT"] = aws.Moto.Endpoint.ToString(),
            ["LOCAL_ENDPOINTS_TOKEN"] = Token,
        };
        await using var endpoints = await LocalEndpointsProcess.StartAsync(environment, Cancellation);

        // A page at http://rebind.attacker.example:PORT/ whose name now resolves to 127.0.0.1 (it cannot know the
        // token, but even with it the name alone is refused), on the credentials and on a metadata route.
        foreach (var path in new[] { "creds", "role/admin", "role-arn/arn:aws:iam::123456789012:role/admin", "v4/containers/app" })
        {
            var rebound = await SendAsync(endpoints, path, Token, ("Host", $"rebind.attacker.example:{endpoints.Port}"));
            AssertRefused(endpoints, rebound, HttpStatusCode.Forbidden, "BrowserRequestRefused", "rebind.attacker.example");
        }
        // A page calling 127.0.0.1 directly: the browser adds Origin (CORS) or Sec-Fetch-* (every fetch).
        AssertRefused(endpoints, await SendAsync(endpoints, "creds", Token, ("Origin", "http://attacker.example")), HttpStatusCode.Forbidden, "BrowserRequestRefused", "Origin");
        AssertRefused(endpoints, await SendAsync(endpoints, "creds", Token, ("Sec-Fetch-Site", "cross-site")), HttpStatusCode.Forbidden, "BrowserRequestRefused", "Sec-Fetch-Site");
        AssertRefused(endpoints, await SendAsync(endpoints, "creds", Token, ("Sec-Fetch-Mode", "no-cors")), HttpStatusCode.Forbidden, "BrowserRequestRefused", "Sec-Fetch-Mode");
        // Any local process on the host, by address, without the token or with a guess: loopback is not trusted.
        AssertRefused(endpoints, await SendAsync(endpoints, "creds", null), HttpStatusCode.Unauthorized, "MissingAuthorization", "Authorization header is missing");
        AssertRefused(endpoints, await SendAsync(endpoints, "role/admin", Token + "x"), HttpStatusCode.Forbidden, "InvalidAuthorization", "LOCAL_ENDPOINTS_TOKEN");

        // The legitimate caller: by address, with the token, no browser headers.
        var legitimate = await SendAsync(endpoints, "creds", Token);
        Assert.True(legitimate.Status == HttpStatusCode.OK, endpoints.Explain($"the caller with the token got {(int)legitimate.Status}: {legitimate.Body}"));
        using var credentials = JsonDocument.Parse(legitimate.Body);
        Assert.False(string.IsNullOrEmpty(credentials.RootElement.GetProperty("AccessKeyId").GetString()));
        Assert.False(string.IsNullOrEmpty(credentials.RootElement.GetProperty("Token").GetString()));

        Assert.False(endpoints.HasExited, endpoints.Explain("local-endpoints died during the attack"));
        Assert.DoesNotContain(Token, endpoints.Output, StringComparison.Ordinal);
    }

    private static void AssertRefused(LocalEndpointsProcess endpoints, (HttpStatusCode Status, string Body) answer, HttpStatusCode status, string code, string mentioned)
    {
        Assert.True(answer.Status == status, endpoints.Explain($"expected {(int)status} {code}, got {(int)answer.Status}: {answer.Body}"));
        using var body = JsonDocument.Parse(answer.Body);
        Assert.Equal(code, body.RootElement.GetProperty("code").GetString());
        Assert.Contains(mentioned, body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("AccessKeyId", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, answer.Body, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(LocalEndpointsProcess endpoints, string path, string? token, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoints.BaseAddress, path));
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token);
        }
        foreach (var (name, value) in headers)
        {
            if (name == "Host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
        using var response = await Http.SendAsync(request, Cancellation);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancellation));
    }
}
