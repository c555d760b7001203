using Microsoft.AspNetCore.Http;
using Mirage.Api.Auth;
using Mirage.Model.Configuration;

namespace Mirage.Api.Tests.Auth;

/// <summary>mirage-ecs TestAuthMethodBasic_Match, case by case.</summary>
public sealed class BasicAuthMethodTests
{
    [Theory]
    [InlineData("Username and password match", "user", "pass", "Basic dXNlcjpwYXNz", true)]
    [InlineData("Username and password do not match", "user", "pass", "Basic dXNlcnM6cGFzcw==", false)]
    [InlineData("Username is empty", "", "pass", "Basic OnBhc3M=", false)]
    [InlineData("Password is empty", "user", "", "Basic dXNlcjo=", false)]
    [InlineData("Authorization header is empty", "user", "pass", null, false)]
    [InlineData("Nil AuthMethodBasic", "", "", null, false)]
    public void Matches_as_mirage_ecs(string name, string username, string password, string? authorization, bool expected)
    {
        var headers = new HeaderDictionary();
        if (authorization is not null)
        {
            headers["Authorization"] = authorization;
        }

        var check = new BasicAuthMethod(new BasicAuthConfig(username, password)).Check(headers);

        Assert.True(expected == check.Matched, $"{name}: {check.Reason}");
    }

    [Fact]
    public void Presence_of_the_section_decides_the_challenge_even_when_it_cannot_match()
    {
        Assert.True(new BasicAuthMethod(new BasicAuthConfig("", "")).IsPresent);
        Assert.False(new BasicAuthMethod(null).IsPresent);
    }

    [Fact]
    public void Utf8_credentials_match_their_utf8_base64()
    {
        var method = new BasicAuthMethod(new BasicAuthConfig("ユーザー", "pässwörd"));

        Assert.True(method.Check(new HeaderDictionary { ["Authorization"] = "Basic 44Om44O844K244O8OnDDpHNzd8O2cmQ=" }).Matched);
    }
}
