using System.Net;
using System.Text.Json;
using Mirage.Api.Auth;
using Mirage.Api.Tests.Auth.Support;
using Mirage.Model.Configuration;

namespace Mirage.Api.Tests.Auth;

/// <summary>The JSON content-type rule on <c>POST /api/*</c> (v2 and -compat-v1) and the 1 MB body limit.</summary>
public sealed class ApiRequestRulesTests
{
    private static readonly AuthConfig TokenOnly = new() { Token = new TokenAuthConfig("x-mirage-token", "mytoken") };

    [Fact]
    public async Task V2_refuses_a_form_before_checking_auth()
    {
        await using var server = await AuthTestServer.StartAsync(TokenOnly);
        using var client = new WebApiClient(server.Port);

        var withoutToken = await client.PostAsync("/api/launch", WebApiClient.Form(("subdomain", "x")));
        var withToken = await client.PostAsync("/api/launch", WebApiClient.Form(("subdomain", "x")), h => h.Add("x-mirage-token", "mytoken"));
        var noBody = await client.PostAsync("/api/launch", null, h => h.Add("x-mirage-token", "mytoken"));

        foreach (var reply in new[] { withoutToken, withToken, noBody })
        {
            Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
            using var body = JsonDocument.Parse(reply.Body);
            Assert.Equal("Bad Request", body.RootElement.GetProperty("message").GetString());
            Assert.Contains("Content-Type: application/json", body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains("-compat-v1", body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task V2_takes_json_with_parameters_and_then_checks_the_token()
    {
        await using var server = await AuthTestServer.StartAsync(TokenOnly);
        using var client = new WebApiClient(server.Port);

        var withoutToken = await client.PostAsync("/api/launch", WebApiClient.Json("{}"));
        var withCharset = await client.PostAsync("/api/launch", WebApiClient.Json("{}"), h => h.Add("x-mirage-token", "mytoken"));

        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.Status);
        Assert.Equal(HttpStatusCode.OK, withCharset.Status);
    }

    [Fact]
    public async Task Compat_v1_takes_a_form()
    {
        await using var server = await AuthTestServer.StartAsync(TokenOnly, compatV1: true);
        using var client = new WebApiClient(server.Port);

        var withoutToken = await client.PostAsync("/api/launch", WebApiClient.Form(("subdomain", "x")));
        var withToken = await client.PostAsync("/api/launch", WebApiClient.Form(("subdomain", "x")), h => h.Add("x-mirage-token", "mytoken"));

        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.Status);
        Assert.Equal(HttpStatusCode.OK, withToken.Status);
        Assert.Equal("""{"result":"ok"}""", withToken.Body);
    }

    [Fact]
    public async Task Gets_need_no_content_type()
    {
        await using var server = await AuthTestServer.StartAsync(auth: null);
        using var client = new WebApiClient(server.Port);

        var reply = await client.GetAsync("/api/list");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("Application/JSON", true)]
    [InlineData("application/x-www-form-urlencoded", false)]
    [InlineData("text/plain", false)]
    [InlineData("application/jsonx", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Json_content_type(string? contentType, bool json)
    {
        Assert.Equal(json, ApiContentType.IsJson(contentType));
    }

    [Theory]
    [InlineData("/api/launch")]
    [InlineData("/launch")]
    public async Task A_declared_body_over_1_MB_is_413_without_being_read(string path)
    {
        await using var server = await AuthTestServer.StartAsync(auth: null);
        using var client = new WebApiClient(server.Port);
        var request = client.Request(HttpMethod.Post, path);
        request.Content = new ByteArrayContent(new byte[(1024 * 1024) + 1]);
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("Origin", "https://mirage.localtest.me");
        // The server answers before asking for the body, so none is sent.
        request.Headers.ExpectContinue = true;

        var reply = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        using var body = JsonDocument.Parse(reply.Body);
        Assert.Equal("Request Entity Too Large", body.RootElement.GetProperty("message").GetString());
        Assert.Contains("1 MB", body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_web_form_growing_over_1_MB_is_413()
    {
        await using var server = await AuthTestServer.StartAsync(auth: null);
        using var client = new WebApiClient(server.Port);
        var request = client.Request(HttpMethod.Post, "/terminate");
        request.Content = new StreamContent(new MemoryStream(new byte[(1024 * 1024) + (64 * 1024)]));
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("Origin", "https://mirage.localtest.me");

        var reply = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Contains("Request Entity Too Large", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_small_web_form_is_read()
    {
        await using var server = await AuthTestServer.StartAsync(auth: null);
        using var client = new WebApiClient(server.Port);

        var reply = await client.PostAsync("/terminate", WebApiClient.Form(("subdomain", "feature-x")), h => h.Add("Origin", "https://mirage.localtest.me"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("terminated feature-x", reply.Body);
    }
}
