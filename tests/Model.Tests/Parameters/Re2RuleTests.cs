using Mirage.Model.Parameters;

namespace Mirage.Model.Tests.Parameters;

public sealed class Re2RuleTests
{
    [Theory]
    [InlineData("^[a-z]+$", "abc", true)]
    [InlineData("^[a-z]+$", "abc\n", false)] // RE2's '$' is end of text; .NET's alone would match here
    [InlineData("(?m)^[a-z]+$", "abc\ndef", true)]
    [InlineData("^\\d+$", "123", true)]
    [InlineData("^\\d+$", "١٢٣", false)] // Arabic-Indic digits: \d is ASCII in RE2
    [InlineData("^[\\d-]+$", "12-3", true)]
    [InlineData("^\\w+$", "abc_1", true)]
    [InlineData("^\\w+$", "äbc", false)]
    [InlineData("^\\D+$", "١٢٣", true)]
    [InlineData("^[[:digit:]]+$", "123", true)]
    [InlineData("^[[:alpha:]-]+$", "feature-x", true)]
    [InlineData("^[[:alpha:]]+$", "ab1", false)]
    [InlineData("^[^]a]+$", "bcd", true)]
    [InlineData("^[]a]+$", "a]", true)]
    [InlineData("\\$", "cost $5", true)]
    [InlineData("[$]", "a$", true)]
    public void MatchesWithRe2Meaning(string rule, string value, bool matches)
    {
        Assert.Equal(matches, Re2Rule.Compile(rule).IsMatch(value));
    }

    [Fact]
    public void RefusesAnInvalidPattern()
    {
        Assert.ThrowsAny<ArgumentException>(() => Re2Rule.Compile("[a-"));
    }
}
