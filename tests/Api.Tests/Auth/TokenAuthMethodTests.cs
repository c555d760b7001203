using Microsoft.AspNetCore.Http;
using Mirage.Api.Auth;
using Mirage.Model.Configuration;

namespace Mirage.Api.Tests.Auth;

/// <summary>mirage-ecs TestAuthMethodToken_Match, case by case.</summary>
public sealed class TokenAuthMethodTests
{
    [Theory]
    [InlineData("Token matches", "Authorization", "mytoken", "Authorization", "mytoken", true)]
    [InlineData("Token does not match", "Authorization", "mytoken", "Authorization", "othertoken", false)]
    [InlineData("Token is empty", "Authorization", "", "Authorization", "mytoken", false)]
    [InlineData("Header is empty", "", "mytoken", "Authorization", "mytoken", false)]
    [InlineData("Header does not exist", "Authorization", "mytoken", null, null, false)]
    [InlineData("Nil AuthMethodToken", "", "", null, null, false)]
    public void Matches_as_mirage_ecs(string name, string header, string token, string? sentHeader, string? sentValue, bool expected)
    {
        var headers = new HeaderDictionary();
        if (sentHeader is not null)
        {
            headers[sentHeader] = sentValue;
        }

        var check = new TokenAuthMethod(new TokenAuthConfig(header, token)).Check(headers);

        Assert.True(expected == check.Matched, $"{name}: {check.Reason}");
    }

    [Fact]
    public void Absent_token_section_never_matches()
    {
        var method = new TokenAuthMethod(null);

        Assert.False(method.IsConfigured);
        Assert.False(method.Check(new HeaderDictionary { ["Authorization"] = "mytoken" }).Matched);
    }

    [Fact]
    public void Header_name_is_case_insensitive_and_the_value_is_not()
    {
        var method = new TokenAuthMethod(new TokenAuthConfig("X-Mirage-Token", "MyToken"));

        Assert.True(method.Check(new HeaderDictionary { ["x-mirage-token"] = "MyToken" }).Matched);
        Assert.False(method.Check(new HeaderDictionary { ["x-mirage-token"] = "mytoken" }).Matched);
        Assert.False(method.Check(new HeaderDictionary { ["x-mirage-token"] = "MyToken " }).Matched);
    }

    [Fact]
    public void Refusal_reasons_name_the_header_but_never_the_token()
    {
        var method = new TokenAuthMethod(new TokenAuthConfig("x-mirage-token", "s3cret-token"));

        var missing = method.Check(new HeaderDictionary());
        var wrong = method.Check(new HeaderDictionary { ["x-mirage-token"] = "s3cret-tokeX" });

        Assert.Equal("header x-mirage-token is missing", missing.Reason);
        Assert.Equal("header x-mirage-token does not match", wrong.Reason);
    }
}
