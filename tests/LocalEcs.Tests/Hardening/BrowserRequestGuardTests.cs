using Microsoft.AspNetCore.Http;
using Mirage.LocalEcs.Endpoints;

namespace Mirage.LocalEcs.Tests.Hardening;

/// <summary>What the metadata and credentials endpoints refuse before any route runs: what only a browser sends.</summary>
public sealed class BrowserRequestGuardTests
{
    private static readonly HashSet<string> Names = new(["localhost", "169.254.170.2", "ecs-local-endpoints"], StringComparer.OrdinalIgnoreCase);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:51679")]
    [InlineData("169.254.170.2")]
    [InlineData("[::1]:80")]
    [InlineData("localhost:80")]
    [InlineData("ECS-Local-Endpoints")]
    public void Requests_by_address_or_by_an_own_name_pass(string host)
    {
        Assert.Null(BrowserRequestGuard.Refusal(Request(host), Names));
    }

    [Theory]
    [InlineData("rebind.attacker.example")]
    [InlineData("rebind.attacker.example:80")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("0x7f.1")]
    [InlineData("2130706433")]
    [InlineData("localhost.attacker.example")]
    public void A_host_that_is_neither_an_address_nor_an_own_name_is_refused_naming_it(string host)
    {
        var refusal = BrowserRequestGuard.Refusal(Request(host), Names);

        Assert.NotNull(refusal);
        Assert.Contains($"Host '{new HostString(host).Host}' is not an IP address", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Origin", "http://attacker.example")]
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Mode", "no-cors")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("sec-fetch-dest", "empty")]
    public void A_request_with_a_browser_header_is_refused_even_by_address(string header, string value)
    {
        var request = Request("127.0.0.1");
        request.Headers[header] = value;

        var refusal = BrowserRequestGuard.Refusal(request, Names);

        Assert.NotNull(refusal);
        Assert.Contains("web", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_without_any_host_passes_since_no_name_was_rebound()
    {
        Assert.Null(BrowserRequestGuard.Refusal(Request(""), Names));
    }

    private static HttpRequest Request(string host)
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString(host);
        return context.Request;
    }
}
