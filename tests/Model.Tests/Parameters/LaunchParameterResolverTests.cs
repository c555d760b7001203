using Mirage.Model.Configuration;
using Mirage.Model.Parameters;

namespace Mirage.Model.Tests.Parameters;

public sealed class LaunchParameterResolverTests
{
    // The parameters of mirage-ecs's TestLoadParameter.
    private static readonly LaunchParameterResolver Sample = LaunchParameterResolver.Create(
    [
        new ParameterConfig { Name = "branch", Env = "GIT_BRANCH", Rule = "[0-9a-z]{5,32}", Required = true },
        new ParameterConfig { Name = "nick", Env = "NICK", Rule = "[0-9A-Za-z]{1,10}" },
        new ParameterConfig { Name = "test", Env = "TEST" },
    ]);

    private static Dictionary<string, string> Values(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void AcceptsValuesInConfigOrderAndIgnoresUnknownKeys()
    {
        var result = Sample.Resolve("develop", Values(("test", "dummy"), ("nick", "mirageman"), ("unknown", "x")));

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(
            [("branch", "develop"), ("nick", "mirageman"), ("test", "dummy")],
            result.Values.Select(v => (v.Name, v.Value)));
        Assert.False(result.ToDictionary().ContainsKey("unknown"));
    }

    [Fact]
    public void RefusesAValueTheRuleDoesNotMatch()
    {
        var result = Sample.Resolve("aaa", Values(("nick", "mirageman")));
        Assert.Equal("parameter branch value is rule error", result.Error);
        Assert.Empty(result.Values);
    }

    [Fact]
    public void RefusesAMissingRequiredParameter()
    {
        Assert.Equal("lack require parameter: branch", Sample.Resolve(null, Values(("nick", "mirageman"))).Error);
        Assert.Equal("lack require parameter: branch", Sample.Resolve("", null).Error);
    }

    [Fact]
    public void TakesBranchOnlyFromTheTopLevelField()
    {
        Assert.Equal("lack require parameter: branch", Sample.Resolve(null, Values(("branch", "develop"))).Error);
    }

    [Fact]
    public void SkipsEmptyOptionalParameters()
    {
        var result = Sample.Resolve("develop", Values(("nick", "")));
        Assert.Equal(["branch"], result.Values.Select(v => v.Name));
    }

    [Fact]
    public void UsesTheDefaultForAnEmptyValueAndChecksIt()
    {
        var resolver = LaunchParameterResolver.Create(
        [
            new ParameterConfig { Name = "branch", Env = "GIT_BRANCH", Required = true, Default = "main" },
            new ParameterConfig { Name = "size", Env = "SIZE", Rule = "^[0-9]+$", Default = "large" },
        ]);

        Assert.Equal("main", resolver.Resolve("", Values(("size", "3"))).Values[0].Value);
        Assert.Equal("parameter size value is rule error", resolver.Resolve("", Values(("size", ""))).Error);
        Assert.Equal("3", resolver.Resolve("x", Values(("size", "3"))).Values[1].Value);
    }

    [Fact]
    public void MatchesRulesUnanchored()
    {
        Assert.True(Sample.Resolve("feature/abcde-x", null).IsValid);
    }

    [Fact]
    public void DoesNotEnforceOptions()
    {
        var resolver = LaunchParameterResolver.Create(
            [new ParameterConfig { Name = "env", Env = "ENV", Options = [new ParameterOption("Staging", "staging")] }]);
        Assert.Equal("production", resolver.Resolve("b", Values(("env", "production"))).Values[0].Value);
    }

    [Fact]
    public void AppendsTheDefaultBranchParameterWhenTheConfigHasNone()
    {
        var resolver = LaunchParameterResolver.Create([new ParameterConfig { Name = "nick", Env = "NICK" }]);

        Assert.Equal(["nick", "branch"], resolver.Parameters.Select(p => p.Name));
        Assert.Same(ParameterConfig.DefaultBranch, resolver.Parameters[1].Config);
        Assert.Equal("lack require parameter: branch", resolver.Resolve(null, Values(("nick", "x"))).Error);
    }

    [Fact]
    public void CompilesRulesOnceWithATimeout()
    {
        var rule = Sample.Parameters[0].Rule;
        Assert.NotNull(rule);
        Assert.Equal(Re2Rule.MatchTimeout, rule.MatchTimeout);
        Sample.Resolve("develop", null);
        Assert.Same(rule, Sample.Parameters[0].Rule);
        Assert.Null(Sample.Parameters[2].Rule);
    }

    [Fact]
    public void RefusesAnInvalidRuleAtLoad()
    {
        var error = Assert.Throws<InvalidParameterRuleException>(() =>
            LaunchParameterResolver.Create([new ParameterConfig { Name = "nick", Env = "NICK", Rule = "([a-z]" }]));
        Assert.StartsWith("invalid parameter rule: parameter nick rule ([a-z]: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(255, true)]
    [InlineData(256, false)]
    public void LimitsLengthTo255Characters(int length, bool accepted)
    {
        AssertLength(new string('a', length), accepted);
    }

    [Theory]
    [InlineData(255, true)]
    [InlineData(256, false)]
    public void CountsASurrogatePairAsOneCharacter(int length, bool accepted)
    {
        AssertLength(string.Concat(Enumerable.Repeat("😀", length)), accepted);
    }

    [Fact]
    public void CountsCombiningMarksSeparatelyLikeGo()
    {
        // 128 text elements but 256 runes: Go refuses it, so Mirage does too.
        AssertLength(string.Concat(Enumerable.Repeat("e\u0301", 128)), accepted: false);
    }

    [Fact]
    public void ChecksTheRuleBeforeTheLength()
    {
        Assert.Equal("parameter branch value is rule error", Sample.Resolve(new string('A', 300), null).Error);
    }

    [Fact]
    public void TreatsARuleThatTimesOutAsNotMatching()
    {
        var resolver = LaunchParameterResolver.Create([new ParameterConfig { Name = "branch", Rule = "^(a+)+$" }]);
        Assert.Equal("parameter branch value is rule error", resolver.Resolve(new string('a', 40) + "!", null).Error);
    }

    private static void AssertLength(string value, bool accepted)
    {
        var resolver = LaunchParameterResolver.Create([new ParameterConfig { Name = "branch", Env = "GIT_BRANCH" }]);
        var result = resolver.Resolve(value, null);
        Assert.Equal(accepted ? null : "parameter branch value is too long(max 255 unicode characters)", result.Error);
    }
}
