using Mirage.Model.Subdomains;

namespace Mirage.Model.Tests.Subdomains;

public sealed class SubdomainRulesTests
{
    // mirage-ecs webapi_test.go validSubdomains, validated after lower-casing as the launch handler does.
    [Theory]
    [InlineData("ab", "ab")]
    [InlineData("abc", "abc")]
    [InlineData("a-z", "a-z")]
    [InlineData("AB-CD", "ab-cd")]
    [InlineData("a-z-0-9", "a-z-0-9")]
    [InlineData("a123456789", "a123456789")]
    [InlineData("www*", "www*")]
    [InlineData("foo[0-9]", "foo[0-9]")]
    [InlineData("api-?-test", "api-?-test")]
    [InlineData("*-xxx", "*-xxx")]
    public void AcceptsMirageEcsValidExamples(string input, string expected)
    {
        Assert.True(SubdomainRules.TryNormalize(input, out var normalized, out var error), error);
        Assert.Equal(expected, normalized);
        Assert.Null(error);
    }

    [Fact]
    public void Accepts63Characters()
    {
        var subdomain = new string('a', 63);
        Assert.Null(SubdomainRules.Validate(subdomain));
    }

    // mirage-ecs webapi_test.go invalidSubdomains, with the exact message v2.0.1 returns for each.
    [Theory]
    [InlineData("0abc", "subdomain 0abc includes invalid characters")]
    [InlineData("a-", "subdomain a- includes invalid characters")]
    [InlineData("-a", "subdomain -a includes invalid characters")]
    [InlineData("a.b", "subdomain a.b includes invalid characters")]
    [InlineData("a+b", "subdomain a+b includes invalid characters")]
    [InlineData("a_b", "subdomain a_b includes invalid characters")]
    [InlineData("a^b", "subdomain a^b includes invalid characters")]
    [InlineData("a$b", "subdomain a$b includes invalid characters")]
    [InlineData("a%b", "subdomain a%b includes invalid characters")]
    [InlineData("www/xxx", "subdomain www/xxx includes invalid characters")]
    [InlineData("foo[0-9", "syntax error in pattern")]
    [InlineData("", "subdomain is empty")]
    [InlineData("a", "subdomain is too short")]
    [InlineData("A", "subdomain is too short")]
    [InlineData("Foo\\x", "subdomain foo\\x includes invalid characters")]
    [InlineData("[]a]", "syntax error in pattern")]
    [InlineData("a[-]", "syntax error in pattern")]
    public void RejectsMirageEcsInvalidExamplesWithTheirMessages(string input, string message)
    {
        Assert.False(SubdomainRules.TryNormalize(input, out _, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void Rejects64CharactersAsTooLong()
    {
        Assert.Equal("subdomain is too long", SubdomainRules.Validate(new string('a', 64)));
    }

    [Fact]
    public void RejectsTrailingNewline()
    {
        // .NET's '$' would accept "ab\n"; Go's does not.
        Assert.Equal("subdomain ab\n includes invalid characters", SubdomainRules.Validate("ab\n"));
    }

    [Fact]
    public void CountsLengthInUtf8BytesLikeGo()
    {
        // One character, two UTF-8 bytes: Go passes the length checks and fails on the characters.
        Assert.Equal("subdomain é includes invalid characters", SubdomainRules.Validate("é"));
        // 32 characters, 64 bytes: Go says too long.
        Assert.Equal("subdomain is too long", SubdomainRules.Validate(new string('é', 32)));
    }

    [Theory]
    [InlineData("foo-*", true)]
    [InlineData("api-?-test", true)]
    [InlineData("foo[0-9]", true)]
    [InlineData("foo-bar", false)]
    [InlineData("a-z-0-9", false)]
    public void TellsPatternsFromExactNames(string subdomain, bool isPattern)
    {
        Assert.Equal(isPattern, SubdomainRules.IsPattern(subdomain));
    }
}
