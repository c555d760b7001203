using System.Net;
using System.Text.Json;
using Mirage.Api.Auth;
using Mirage.Api.Tests.Auth.Support;
using Mirage.Model.Configuration;

namespace Mirage.Api.Tests.Auth;

/// <summary>The Origin rule on browser requests that change state, with and without <c>auth</c>.</summary>
public sealed class CsrfTests
{
    [Theory]
    [InlineData("https://mirage.localtest.me")]
    [InlineData("http://mirage.localtest.me:8080")]
    [InlineData("https://MIRAGE.localtest.me")]
    public async Task Post_with_the_webapi_origin_passes_without_auth(string origin)
    {
        await using var server = await AuthTestServer.StartAsync(auth: null);
        using var client = new WebApiClient(server.Port);

        var reply = await client.PostAsync("/launch", null, h => h.Add("Origin", origin));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("launched", reply.Body);
    }

    [Theory]
    [InlineData(null, "needs an Origin header")]
    [InlineData("null", "not an http(s) URL")]
    [InlineData("mirage.localtest.me", "not an http(s) URL")]
    [InlineData("ftp://mirage.localtest.me", "not an http(s) URL")]
    [InlineData("https://evil.example.com", "the Origin host evil.example.com is not mirage.localtest.me")]
    [InlineData("https://mirage.localtest.me.evil.example.com", "is not mirage.localtest.me")]
    [InlineData("https://foo.localtest.me", "is not mirage.localtest.me")]
    public async Task Post_without_the_webapi_origin_is_a_bad_request_saying_what_to_fix(string? origin, string detail)
    {
        await using var server = await AuthTestServer.StartAsync(auth: null);
        using var client = new WebApiClient(server.Port);

        var reply = await client.PostAsync("/launch", null, h =>
        {
            if (origin is not null)
            {
                h.Add("Origin", origin);
            }
        });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        using var body = JsonDocument.Parse(reply.Body);
        Assert.Equal("Bad Request", body.RootElement.GetProperty("message").GetString());
        Assert.Contains(detail, body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_need_no_origin_and_other_state_changing_methods_do()
    {
        await using var server = await AuthTestServer.StartAsync(auth: null);
        using var client = new WebApiClient(server.Port);

        var get = await client.GetAsync("/");
        var delete = await client.SendAsync(client.Request(HttpMethod.Delete, "/launch"));

        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal(HttpStatusCode.BadRequest, delete.Status);
    }

    [Fact]
    public async Task Auth_is_checked_before_the_origin()
    {
        await using var server = await AuthTestServer.StartAsync(new AuthConfig { Basic = new BasicAuthConfig("user", "pass") });
        using var client = new WebApiClient(server.Port);

        var reply = await client.PostAsync("/launch", null);

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
    }

    [Fact]
    public async Task The_api_needs_no_origin_from_a_client_that_is_not_a_browser()
    {
        await using var server = await AuthTestServer.StartAsync(new AuthConfig { Token = new TokenAuthConfig("x-mirage-token", "mytoken") });
        using var client = new WebApiClient(server.Port);

        var reply = await client.PostAsync("/api/launch", WebApiClient.Json("{}"), h => h.Add("x-mirage-token", "mytoken"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("""{"result":"ok"}""", reply.Body);
    }

    [Theory]
    [InlineData("https://evil.example.com", null, "the Origin host evil.example.com is not mirage.localtest.me")]
    [InlineData("null", null, "not an http(s) URL")]
    [InlineData(null, "cross-site", "Sec-Fetch-Site is cross-site")]
    [InlineData("https://preview.localtest.me", "same-site", "Sec-Fetch-Site is same-site")]
    [InlineData("https://mirage.localtest.me", "cross-site", "Sec-Fetch-Site is cross-site")]
    public async Task The_api_refuses_a_state_change_sent_by_a_page_of_another_origin_even_with_the_token(string? origin, string? fetchSite, string detail)
    {
        await using var server = await AuthTestServer.StartAsync(new AuthConfig { Token = new TokenAuthConfig("x-mirage-token", "mytoken") });
        using var client = new WebApiClient(server.Port);

        var reply = await client.PostAsync("/api/launch", WebApiClient.Json("{}"), h =>
        {
            h.Add("x-mirage-token", "mytoken");
            if (origin is not null)
            {
                h.Add("Origin", origin);
            }
            if (fetchSite is not null)
            {
                h.Add("Sec-Fetch-Site", fetchSite);
            }
        });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        using var body = JsonDocument.Parse(reply.Body);
        Assert.Contains(detail, body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://mirage.localtest.me", "same-origin")]
    [InlineData("http://mirage.localtest.me:8080", null)]
    [InlineData(null, "none")]
    public async Task The_api_takes_a_state_change_from_the_web_UI_itself_without_auth(string? origin, string? fetchSite)
    {
        await using var server = await AuthTestServer.StartAsync(auth: null);
        using var client = new WebApiClient(server.Port);

        var reply = await client.PostAsync("/api/launch", WebApiClient.Json("{}"), h =>
        {
            if (origin is not null)
            {
                h.Add("Origin", origin);
            }
            if (fetchSite is not null)
            {
                h.Add("Sec-Fetch-Site", fetchSite);
            }
        });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Api_reads_from_another_origin_are_not_refused()
    {
        await using var server = await AuthTestServer.StartAsync(auth: null);
        using var client = new WebApiClient(server.Port);

        var reply = await client.GetAsync("/api/list", h =>
        {
            h.Add("Origin", "https://evil.example.com");
            h.Add("Sec-Fetch-Site", "cross-site");
        });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task A_web_UI_post_marked_cross_site_is_refused_even_with_the_webapi_origin()
    {
        await using var server = await AuthTestServer.StartAsync(auth: null);
        using var client = new WebApiClient(server.Port);

        var reply = await client.PostAsync("/launch", null, h =>
        {
            h.Add("Origin", "https://mirage.localtest.me");
            h.Add("Sec-Fetch-Site", "cross-site");
        });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("Sec-Fetch-Site", reply.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://mirage.example.net", "mirage.example.net", true)]
    [InlineData("https://mirage.example.net:443", "mirage.example.net", true)]
    [InlineData("https://mirage.example.net/", "mirage.example.net", true)]
    [InlineData("https://mirage.example.net", " mirage.example.net ", true)]
    [InlineData("https://user@mirage.example.net", "mirage.example.net", true)]
    [InlineData("https://mirage.example.net", "mirage.example.org", false)]
    [InlineData("https://example.net", "mirage.example.net", false)]
    [InlineData("", "mirage.example.net", false)]
    [InlineData("   ", "mirage.example.net", false)]
    public void Origin_check_compares_the_host_alone(string origin, string webApi, bool accepted)
    {
        Assert.Equal(accepted, OriginCheck.Problem(origin, webApi) is null);
    }
}
